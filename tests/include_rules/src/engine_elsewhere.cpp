// Part of the tree that breaks every include rule.
#include <curl/curl.h>
#include <libpq-fe.h>
#include <prometheus/registry.h>
#include <boost/asio/post.hpp>
#include <instagram/oauth/testing/instagram_mock.hpp>
