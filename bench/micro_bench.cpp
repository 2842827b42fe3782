// The non-network work of a sign-in, next to the same work done with Boost.URL 1.81
// (parse_uri + params(), url + params().append()) as the reference, in one binary.
#include "allocation_counter.hpp"

#include <instagram/oauth.hpp>

#include "sample_app.hpp"
#include "secret_mask.hpp"
#include "token_response.hpp"

#include <benchmark/benchmark.h>
#include <boost/url.hpp>

#include <string>
#include <string_view>

namespace {

using namespace instagram::oauth;

// The protocol document's sample app and API (Boost.URL builds the same URL).
const AppConfig sample = testing::sample_app();
constexpr std::string_view success_redirect =
    "https://socialsizzle.herokuapp.com/auth/?code=AQBx-hBsH3...#_";
constexpr std::string_view cancel_redirect =
    "https://socialsizzle.herokuapp.com/auth/?error=access_denied&error_reason=user_denied"
    "&error_description=The+user+denied+your+request";

// Runs `work` and reports allocations per iteration next to the time.
template <class Work>
void measure(benchmark::State& state, Work&& work) {
  const std::size_t before = bench::allocations();
  for (auto _ : state) work();
  state.counters["allocs/op"] = benchmark::Counter(
      static_cast<double>(bench::allocations() - before) / static_cast<double>(state.iterations()));
}

// build() on a configured builder, as a server keeps one (the configuration is checked
// once, when the builder is made).
void build_url(benchmark::State& state) {
  AuthorizeUrlBuilder builder(sample);
  builder.scopes({"user_profile", "user_media"});
  measure(state, [&] {
    Result<std::string> url = builder.build();
    benchmark::DoNotOptimize(url);
  });
}

// The builder made, configured and built every time.
void build_url_from_config(benchmark::State& state) {
  measure(state, [] {
    Result<std::string> url =
        AuthorizeUrlBuilder(sample).scopes({"user_profile", "user_media"}).build();
    benchmark::DoNotOptimize(url);
  });
}

void build_url_boost(benchmark::State& state) {
  measure(state, [] {
    boost::urls::url url("https://api.instagram.com/oauth/authorize");
    auto params = url.params();
    params.append({"client_id", "990602627938098"});
    params.append({"redirect_uri", "https://socialsizzle.herokuapp.com/auth/"});
    params.append({"scope", "user_profile,user_media"});
    params.append({"response_type", "code"});
    std::string text(url.buffer());
    benchmark::DoNotOptimize(text);
  });
}

void parse_success(benchmark::State& state) {
  const RedirectParser parser(sample);
  measure(state, [&] {
    Result<AuthorizationCode> code = parser.parse(success_redirect);
    benchmark::DoNotOptimize(code);
  });
}

void parse_success_boost(benchmark::State& state) {
  measure(state, [] {
    const std::string_view without_fragment =
        success_redirect.substr(0, success_redirect.find('#'));
    auto uri = boost::urls::parse_uri(without_fragment);
    auto params = uri->params();
    auto found = params.find("code");
    std::string code = (*found).value;
    benchmark::DoNotOptimize(code);
  });
}

void parse_cancel(benchmark::State& state) {
  const RedirectParser parser(sample);
  measure(state, [&] {
    Result<AuthorizationCode> code = parser.parse(cancel_redirect);
    benchmark::DoNotOptimize(code);
  });
}

void parse_cancel_boost(benchmark::State& state) {
  measure(state, [] {
    auto uri = boost::urls::parse_uri(cancel_redirect);
    auto params = uri->params();
    std::string error = (*params.find("error")).value;
    std::string reason = (*params.find("error_reason")).value;
    std::string description = (*params.find("error_description")).value;
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(reason);
    benchmark::DoNotOptimize(description);
  });
}

void map_answer(benchmark::State& state, const char* body) {
  const HttpResponse answer{200, "application/json", body};
  measure(state, [&] {
    Result<AccessToken> token =
        detail::read_token_response(answer, std::chrono::system_clock::time_point{});
    benchmark::DoNotOptimize(token);
  });
}

void map_flat(benchmark::State& state) {
  map_answer(state, R"({"access_token": "IGQVJ...", "user_id": 17841405793187218})");
}

void map_data(benchmark::State& state) {
  map_answer(state,
             R"({"data":[{"access_token":"IGQVJ...","user_id":"17841405793187218",)"
             R"("permissions":"instagram_business_basic,instagram_business_manage_messages"}]})");
}

void state(benchmark::State& state) {
  measure(state, [] {
    std::string value = generate_state();
    benchmark::DoNotOptimize(value);
  });
}

// Linear growth, shown by doubling: masking a hostile error body of `code=a&` pieces
// (quadratic before: 1.8 s for 1 MiB), and a builder given that many distinct scopes.
void mask_hostile_body(benchmark::State& state) {
  std::string body;
  while (body.size() < static_cast<std::size_t>(state.range(0))) body += "code=a&";
  for (auto _ : state) {
    std::string masked = detail::mask_secrets(body, {"AQB-known-code-0123"});
    benchmark::DoNotOptimize(masked);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(body.size()));
}

void many_scopes(benchmark::State& state) {
  AuthorizeUrlBuilder builder(sample);
  builder.scope("user_profile");
  for (std::int64_t i = 0; i < state.range(0); ++i) builder.scope("s" + std::to_string(i));
  for (auto _ : state) {
    Result<std::string> url = builder.build();
    benchmark::DoNotOptimize(url);
  }
}

}  // namespace

BENCHMARK(mask_hostile_body)
    ->Arg(256 << 10)
    ->Arg(512 << 10)
    ->Arg(1 << 20)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(many_scopes)->Arg(10'000)->Arg(20'000)->Arg(40'000)->Unit(benchmark::kMillisecond);
BENCHMARK(build_url);
BENCHMARK(build_url_from_config);
BENCHMARK(build_url_boost);
BENCHMARK(parse_success);
BENCHMARK(parse_success_boost);
BENCHMARK(parse_cancel);
BENCHMARK(parse_cancel_boost);
BENCHMARK(map_flat);
BENCHMARK(map_data);
BENCHMARK(state);
BENCHMARK_MAIN();
