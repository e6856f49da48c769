// Runs a program as a child process for black-box tests of warroomd: captures its output
// through a pipe, waits for a line with a deadline, sends signals, reaps the exit status.
// A thread of its own drains the pipe all the time: a child whose output nobody read would
// block in write() once the pipe is full (64 KiB of log lines) and stall the test.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern "C" char** environ;

namespace warroom::test {

class child_process {
 public:
  /// Starts `argv[0]` with `argv` and extra environment entries ("NAME=value"); stdout and
  /// stderr both go to one pipe read by wait_for_output().
  child_process(std::vector<std::string> argv, std::vector<std::string> env_extra = {}) {
    // Extras first: getenv() returns the first match, so they override the inherited values.
    for (auto& e : env_extra)
      env_.push_back(std::move(e));
    for (char** e = environ; *e; ++e)
      env_.emplace_back(*e);
    argv_ = std::move(argv);
    std::vector<char*> args;
    for (auto& a : argv_)
      args.push_back(a.data());
    args.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& e : env_)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    // posix_spawn, not fork: glibc's shares the parent's memory until the exec instead of copying
    // its page tables, which for a benchmark holding a gigabyte of prepared requests took longer
    // than the daemon's whole start and was counted in its "ready in".
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    ::posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    pid_t child = -1;
    if (::posix_spawn(&child, args[0], &actions, nullptr, args.data(), envp.data()) == 0) {
      pid_ = child;
    } else {
      status_ = 127;  // what a shell reports for a program it cannot run
    }
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    out_ = fds[0];
    reader_ = std::thread([this] { drain(); });
  }
  ~child_process() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      wait_exit(std::chrono::seconds(5));
    }
    stop_ = true;
    if (reader_.joinable()) reader_.join();
    if (out_ >= 0) ::close(out_);
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) {
    if (pid_ > 0) ::kill(pid_, sig);
  }

  /// Waits until the output contains `needle` or the deadline passes; returns the line holding it.
  std::optional<std::string> wait_for_output(const std::string& needle,
                                             std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    std::unique_lock lock(mutex_);
    for (;;) {
      if (const auto pos = output_.find(needle, scanned_); pos != std::string::npos) {
        const auto start = output_.rfind('\n', pos);
        const auto end = output_.find('\n', pos);
        scanned_ = end == std::string::npos ? output_.size() : end;
        return output_.substr(start == std::string::npos ? 0 : start + 1,
                              end == std::string::npos
                                  ? std::string::npos
                                  : end - (start == std::string::npos ? 0 : start + 1));
      }
      if (closed_ || grown_.wait_until(lock, until) == std::cv_status::timeout) return std::nullopt;
    }
  }

  /// Waits for the exit; returns the exit code (128+signal when killed), nullopt on timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (!status_) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (std::chrono::steady_clock::now() >= until) return std::nullopt;
      // No exit notification to wait on here: the pipe's end or new output wakes this early.
      std::unique_lock lock(mutex_);
      grown_.wait_until(
          lock, std::min(until, std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
    }
    return status_;
  }

  /// Everything the child has written so far.
  std::string output() {
    std::lock_guard lock(mutex_);
    return output_;
  }

 private:
  void drain() {
    char buf[4096];
    while (!stop_) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;  // re-checks stop_ every 100 ms
      const auto n = ::read(out_, buf, sizeof buf);
      std::lock_guard lock(mutex_);
      if (n <= 0) {
        closed_ = true;
        grown_.notify_all();
        return;
      }
      output_.append(buf, static_cast<std::size_t>(n));
      grown_.notify_all();
    }
  }

  std::vector<std::string> argv_;
  std::vector<std::string> env_;
  pid_t pid_ = -1;
  int out_ = -1;
  std::mutex mutex_;
  std::condition_variable grown_;
  std::string output_;   // guarded by mutex_
  bool closed_ = false;  // guarded by mutex_: the pipe's writers are all gone
  std::size_t scanned_ = 0;
  std::optional<int> status_;
  std::atomic<bool> stop_{false};
  std::thread reader_;
};

}  // namespace warroom::test
