// The non-network work of a sign-in, next to the same work done with Boost.URL 1.81
// (parse_uri + params(), url + params().append()) as the reference, in one binary.
#include "allocation_counter.hpp"

#include <instagram/oauth.hpp>

#include "token_response.hpp"

#include <benchmark/benchmark.h>
#include <boost/url.hpp>

#include <string>
#include <string_view>

namespace {

using namespace instagram::oauth;

const AppConfig sample_app{
    "990602627938098", "eb8c7-sample-secret", "https://socialsizzle.herokuapp.com/auth/", {}};
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
  AuthorizeUrlBuilder builder(sample_app);
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
        AuthorizeUrlBuilder(sample_app).scopes({"user_profile", "user_media"}).build();
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
  const RedirectParser parser(sample_app);
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
  const RedirectParser parser(sample_app);
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

}  // namespace

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
