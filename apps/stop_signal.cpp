#include "apps/stop_signal.hpp"

#include <csignal>

namespace gust::cli {

namespace {

volatile std::sig_atomic_t stop_signal = 0;

void on_stop_signal(int sig) { stop_signal = sig; }

}  // namespace

void install_stop_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int stop_signal_received() { return stop_signal; }

bool job_stops(const communicator& job) {
    return job.broadcast({static_cast<char>(stop_signal != 0)}).at(0) != 0;
}

std::string stop_signal_name() { return stop_signal == SIGINT ? "SIGINT" : "SIGTERM"; }

}  // namespace gust::cli
