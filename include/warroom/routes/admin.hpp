// The admin API (DESIGN §3): GET /api/v1/incidents and /api/v1/incidents/{id}, JSON state of the
// war rooms, behind "Authorization: Bearer <server.admin_token>". Registered only when the token
// is configured.
#pragma once

#include <warroom/net/server.hpp>
#include <warroom/store/async_store.hpp>
#include <warroom/util/secret.hpp>

namespace warroom::routes {

void add_admin_routes(net::router& routes, store::async_store& db, util::secret admin_token);

}  // namespace warroom::routes
