/// @file
/// instagram-oauth-cpp: Instagram's OAuth 2.0 authorization-code flow.
#pragma once

#include <instagram/oauth/authorization_code.hpp>
#include <instagram/oauth/authorize_url_builder.hpp>
#include <instagram/oauth/cancellation.hpp>
#include <instagram/oauth/config.hpp>
#include <instagram/oauth/error.hpp>
#include <instagram/oauth/event_loop.hpp>
#include <instagram/oauth/http.hpp>
#include <instagram/oauth/lifecycle.hpp>
#include <instagram/oauth/meta_usage.hpp>
#include <instagram/oauth/profile.hpp>
#include <instagram/oauth/redirect_parser.hpp>
#include <instagram/oauth/refresh_policy.hpp>
#include <instagram/oauth/result.hpp>
#include <instagram/oauth/session_store.hpp>
#include <instagram/oauth/signed_request.hpp>
#include <instagram/oauth/signed_state.hpp>
#include <instagram/oauth/state.hpp>
#include <instagram/oauth/telemetry.hpp>
#include <instagram/oauth/token.hpp>
#include <instagram/oauth/token_exchanger.hpp>
#include <instagram/oauth/token_refresher.hpp>
#include <instagram/oauth/token_store.hpp>
#include <instagram/oauth/version.hpp>
#include <instagram/oauth/webhooks.hpp>
