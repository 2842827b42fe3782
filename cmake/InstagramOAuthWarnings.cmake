# Warnings (and -Werror) for this project's own targets only; never a parent's.
function(instagram_oauth_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 $<$<BOOL:${INSTAGRAM_OAUTH_WERROR}>:/WX>)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
      -Wno-sign-conversion $<$<BOOL:${INSTAGRAM_OAUTH_WERROR}>:-Werror>)
  endif()
endfunction()
