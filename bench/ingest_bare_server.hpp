// ingest_bare_server: the baseline of ingest_bench (`ingest_bench --bare-server`): a Beast
// HTTP/1.1 keep-alive server on 127.0.0.1:0 that reads each request, body included, and answers
// 202 with a tiny JSON body. Single-threaded io_context and a fresh parser per message, like
// warroomd, but no routing, verification or storage: the ceiling the loopback and Beast allow.
#pragma once

namespace warroom::bench {

/// Prints "listening on 127.0.0.1:PORT" and serves until SIGTERM or SIGINT; returns the exit code.
int run_bare_server();

}  // namespace warroom::bench
