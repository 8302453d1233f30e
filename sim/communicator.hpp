#pragma once
// The processes that run one job together: the ranks mpirun started, or this
// process alone. Library code distributes work through this interface only;
// the CLI supplies the MPI implementation (apps/mpi_communicator), so neither
// the libraries nor the Python module link MPI.
//
// Failure is agreed on, never waited for: each collective first asks whether
// some process has failed. A process that meets an error calls fail() in
// place of its next collective; every other process, at whichever
// collective it has reached, learns of it there and throws job_failed
// carrying the first failing process's exit status and message. So one line
// reaches the user and no process waits for one that has given up.
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace gust {

struct job_failure {
    std::size_t rank = 0;  // the first process that failed
    int status = 1;        // its exit status
    std::string line;      // its one-line message
};

struct job_failed : std::runtime_error {
    explicit job_failed(job_failure f) : std::runtime_error(f.line), failure(std::move(f)) {}
    job_failure failure;
};

// The processes one process exchanges with, out of a communicator's: a
// graph made once (sim/exchange_plan.hpp knows it), so that a per-step
// exchange costs a message per neighbour rather than one per process.
class neighbourhood {
public:
    virtual ~neighbourhood() = default;
    // As communicator::all_to_all (parts indexed by process), among the
    // neighbours only: the parts for processes this one does not send to
    // must be empty, and the parts from processes it does not receive from
    // come back empty. No failure agreement.
    virtual void exchange(const std::vector<char>& out, const std::vector<std::size_t>& out_at, std::vector<char>& in,
                          std::vector<std::size_t>& in_at) const = 0;
};

class communicator {
public:
    virtual ~communicator() = default;
    virtual std::size_t rank() const = 0;
    virtual std::size_t size() const = 0;
    // Processes of this job on this machine, which share its cores.
    virtual std::size_t local_size() const = 0;

    // Each process's bytes, in rank order, on process 0 (empty elsewhere);
    // valid until the next gather. The communicator keeps the buffers, so
    // that a job gathering every batch does not fault fresh pages in each time.
    virtual const std::vector<std::vector<char>>& gather(const std::vector<char>& mine) const = 0;
    // Process 0's bytes on every process.
    virtual std::vector<char> broadcast(const std::vector<char>& from_first) const = 0;
    // Returns when every process has arrived; throws job_failed if one failed.
    virtual void barrier() const = 0;
    // Point to point, for what runs between a barrier and the next
    // collective with nothing that can fail in between (a peer that failed
    // would leave the other waiting): bytes to process `to`; bytes from
    // process `from` into `into`, which the caller has sized.
    virtual void send_to(std::size_t to, const std::vector<char>& bytes) const = 0;
    virtual void receive_from(std::size_t from, std::vector<char>& into) const = 0;
    // Each process's own bytes for each other: process d gets
    // out[out_at[d], out_at[d + 1]) of this one; `in` gets what every
    // process sent this one, in rank order, process r's at [in_at[r],
    // in_at[r + 1]). Like send_to, it does not agree on failures first: it
    // serves the exchanges inside a computation that cannot fail between
    // them (the steps of a simulation), where an agreement per step would
    // double the messages.
    virtual void all_to_all(const std::vector<char>& out, const std::vector<std::size_t>& out_at, std::vector<char>& in,
                            std::vector<std::size_t>& in_at) const = 0;
    // True on every process when `mine` is true on every process. No
    // failure agreement, as all_to_all.
    virtual bool every(bool mine) const = 0;
    // The neighbourhood in which this process sends to `to` and receives
    // from `from` (ascending, without this process; p lists q in `to`
    // exactly when q lists p in `from`). A collective.
    virtual std::unique_ptr<neighbourhood> neighbours(const std::vector<std::size_t>& to,
                                                      const std::vector<std::size_t>& from) const = 0;
    // For a failure where the others cannot be told, in the middle of the
    // exchanges that make no agreement (all_to_all, every): ends every
    // process of the job now, `line` the message, so that none waits for
    // this one. Returns only when there are no others to end.
    virtual void abandon(const std::string& line) const = 0;
    // The processes that passed the same `color`, ranked in this one's
    // order: a collective of this communicator.
    virtual std::unique_ptr<communicator> split(std::size_t color) const = 0;
    // Tells the others this process failed (status, one-line message) and
    // returns the job's first failure, which may be another process's.
    virtual job_failure fail(int status, const std::string& line) const = 0;

    bool first() const { return rank() == 0; }
};

// This process alone: every collective is the identity.
class single_process final : public communicator {
public:
    std::size_t rank() const override { return 0; }
    std::size_t size() const override { return 1; }
    std::size_t local_size() const override { return 1; }
    const std::vector<std::vector<char>>& gather(const std::vector<char>& mine) const override {
        inbox_.resize(1);
        inbox_[0] = mine;
        return inbox_;
    }
    std::vector<char> broadcast(const std::vector<char>& from_first) const override { return from_first; }
    void barrier() const override {}
    // Alone, there is no one to send to.
    void send_to(std::size_t, const std::vector<char>&) const override { throw std::logic_error("send_to: no peer"); }
    void receive_from(std::size_t, std::vector<char>&) const override { throw std::logic_error("receive_from: no peer"); }
    void all_to_all(const std::vector<char>& out, const std::vector<std::size_t>& out_at, std::vector<char>& in,
                    std::vector<std::size_t>& in_at) const override {
        in = out;
        in_at = out_at;
    }
    bool every(bool mine) const override { return mine; }
    std::unique_ptr<neighbourhood> neighbours(const std::vector<std::size_t>&,
                                              const std::vector<std::size_t>&) const override {
        return std::make_unique<alone>();
    }
    void abandon(const std::string&) const override {}
    std::unique_ptr<communicator> split(std::size_t) const override { return std::make_unique<single_process>(); }
    job_failure fail(int status, const std::string& line) const override { return {0, status, line}; }

private:
    // No neighbours: nothing leaves, nothing arrives.
    struct alone final : neighbourhood {
        void exchange(const std::vector<char>&, const std::vector<std::size_t>&, std::vector<char>& in,
                      std::vector<std::size_t>& in_at) const override {
            in.clear();
            in_at.assign(2, 0);
        }
    };
    mutable std::vector<std::vector<char>> inbox_;
};

}  // namespace gust
