// libpq, loaded when a PostgreSQL store is first opened (dlopen), not linked: a daemon on SQLite
// then never maps libpq and what it pulls in (GnuTLS, Kerberos, LDAP, SASL: about 3.3 MiB resident,
// a quarter of warroomd's idle footprint). libpq-fe.h still gives the types and constants.
// Internal to the store module.
#pragma once

#include <libpq-fe.h>

#include <warroom/util/result.hpp>

namespace warroom::store {

struct libpq_api {
#define WARROOM_LIBPQ_FUNCTIONS(X)                                                                \
  X(PQconnectdbParams)                                                                            \
  X(PQstatus)                                                                                     \
  X(PQerrorMessage) X(PQfinish) X(PQreset) X(PQtransactionStatus) X(PQbackendPID) X(PQexecParams) \
      X(PQexec) X(PQresultStatus) X(PQresultErrorField) X(PQresultErrorMessage) X(PQclear)        \
          X(PQntuples) X(PQgetisnull) X(PQgetvalue) X(PQgetlength) X(PQcmdTuples) X(PQsocket)     \
              X(PQconsumeInput) X(PQnotifies) X(PQfreemem)
#define WARROOM_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
  WARROOM_LIBPQ_FUNCTIONS(WARROOM_LIBPQ_MEMBER)
#undef WARROOM_LIBPQ_MEMBER
};

/// libpq's functions, loaded once (thread-safe); `unavailable` when libpq.so.5 is missing.
result<const libpq_api*> load_libpq();

}  // namespace warroom::store
