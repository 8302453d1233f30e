#include "apps/mpi_communicator.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <new>
#include <string>
#include <thread>

#include "apps/cli_common.hpp"
#include "core/error.hpp"

#ifdef GUST_MPI
#include <mpi.h>
#endif

namespace gust::cli {

namespace {

// OpenMPI's mpirun sets OMPI_COMM_WORLD_SIZE; PMIx and PMI launchers
// (srun, other MPIs) set PMIX_RANK or PMI_SIZE.
bool launched_by_mpirun() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
        if (std::getenv(name)) return true;
    return false;
}

#ifdef GUST_MPI

// Messages larger than this go in pieces: MPI counts are ints.
constexpr std::size_t chunk_bytes = std::size_t(1) << 30;

// An MPI distributed graph over a communicator's processes: the per-step
// exchanges with neighbours go as MPI_Neighbor_alltoall(v), a message per
// neighbour, where MPI_Alltoallv would make one per process.
class mpi_neighbourhood final : public neighbourhood {
public:
    mpi_neighbourhood(MPI_Comm comm, std::size_t size, const std::vector<std::size_t>& to,
                      const std::vector<std::size_t>& from)
        : size_(size), to_(to.begin(), to.end()), from_(from.begin(), from.end()) {
        const auto weights = [](const std::vector<int>& v) { return v.empty() ? MPI_WEIGHTS_EMPTY : MPI_UNWEIGHTED; };
        MPI_Dist_graph_create_adjacent(comm, static_cast<int>(from_.size()), from_.data(), weights(from_),
                                       static_cast<int>(to_.size()), to_.data(), weights(to_), MPI_INFO_NULL, 0, &graph_);
    }
    ~mpi_neighbourhood() override { MPI_Comm_free(&graph_); }

    void exchange(const std::vector<char>& out, const std::vector<std::size_t>& out_at, std::vector<char>& in,
                  std::vector<std::size_t>& in_at) const override {
        if (out_at.back() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw std::length_error("neighbour exchange: 2 GiB or more");
        send_counts_.assign(to_.size(), 0);
        send_displacements_.assign(to_.size(), 0);
        std::size_t listed = 0;
        for (std::size_t j = 0; j < to_.size(); ++j) {
            const auto d = static_cast<std::size_t>(to_[j]);
            send_counts_[j] = static_cast<int>(out_at[d + 1] - out_at[d]);
            send_displacements_[j] = static_cast<int>(out_at[d]);
            listed += out_at[d + 1] - out_at[d];
        }
        if (listed != out_at.back()) throw std::logic_error("neighbour exchange: bytes for a process that is no neighbour");
        counts_.assign(from_.size(), 0);
        MPI_Neighbor_alltoall(send_counts_.data(), 1, MPI_INT, counts_.data(), 1, MPI_INT, graph_);
        displacements_.assign(from_.size(), 0);
        in_at.assign(size_ + 1, 0);
        for (std::size_t j = 0; j < from_.size(); ++j) in_at[static_cast<std::size_t>(from_[j]) + 1] = static_cast<std::size_t>(counts_[j]);
        for (std::size_t r = 0; r < size_; ++r) in_at[r + 1] += in_at[r];
        if (in_at[size_] > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw std::length_error("neighbour exchange: 2 GiB or more received");
        for (std::size_t j = 0; j < from_.size(); ++j) displacements_[j] = static_cast<int>(in_at[static_cast<std::size_t>(from_[j])]);
        in.resize(in_at[size_]);
        MPI_Neighbor_alltoallv(out.data(), send_counts_.data(), send_displacements_.data(), MPI_CHAR, in.data(),
                               counts_.data(), displacements_.data(), MPI_CHAR, graph_);
    }

private:
    MPI_Comm graph_ = MPI_COMM_NULL;
    std::size_t size_;
    std::vector<int> to_, from_;  // ascending: neighbour j's part is the j-th
    mutable std::vector<int> counts_, displacements_, send_counts_, send_displacements_;
};

// The processes of one MPI communicator: the world mpirun started (which
// starts and finishes MPI), or a part of it split off.
class mpi_group final : public communicator {
public:
    mpi_group(int& argc, char**& argv) : world_(true) {
        int provided = 0;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);  // only the main thread calls MPI
        comm_ = MPI_COMM_WORLD;
        describe();
    }
    explicit mpi_group(MPI_Comm comm) : comm_(comm), world_(false) { describe(); }
    ~mpi_group() override {
        if (world_) MPI_Finalize();
        else MPI_Comm_free(&comm_);
    }

    std::size_t rank() const override { return rank_; }
    std::size_t size() const override { return size_; }
    std::size_t local_size() const override { return local_size_; }

    void barrier() const override { agree(size_); }

    void send_to(std::size_t to, const std::vector<char>& bytes) const override { send(bytes, static_cast<int>(to)); }
    void receive_from(std::size_t from, std::vector<char>& into) const override {
        receive(into, static_cast<int>(from));
    }

    job_failure fail(int status, const std::string& line) const override { return agree(rank_, status, line); }

    void all_to_all(const std::vector<char>& out, const std::vector<std::size_t>& out_at, std::vector<char>& in,
                    std::vector<std::size_t>& in_at) const override {
        if (out_at.back() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
            throw std::length_error("all_to_all: 2 GiB or more");
        send_counts_.resize(size_);
        send_displacements_.resize(size_);
        for (std::size_t r = 0; r < size_; ++r) {
            send_counts_[r] = static_cast<int>(out_at[r + 1] - out_at[r]);
            send_displacements_[r] = static_cast<int>(out_at[r]);
        }
        counts_.resize(size_);
        MPI_Alltoall(send_counts_.data(), 1, MPI_INT, counts_.data(), 1, MPI_INT, comm_);
        lay_out_received(in_at, in);
        MPI_Alltoallv(out.data(), send_counts_.data(), send_displacements_.data(), MPI_CHAR, in.data(), counts_.data(),
                      displacements_.data(), MPI_CHAR, comm_);
    }

    bool every(bool mine) const override {
        int mine_int = mine ? 1 : 0, all = 0;
        MPI_Allreduce(&mine_int, &all, 1, MPI_INT, MPI_MIN, comm_);
        return all != 0;
    }

    std::unique_ptr<neighbourhood> neighbours(const std::vector<std::size_t>& to,
                                              const std::vector<std::size_t>& from) const override {
        return std::make_unique<mpi_neighbourhood>(comm_, size_, to, from);
    }

    void abandon(const std::string& line) const override {
        std::string shown = line;
        std::replace(shown.begin(), shown.end(), '\n', ' ');
        std::cerr << "gust: " << shown << std::endl;
        MPI_Abort(MPI_COMM_WORLD, exit_internal);
    }

    std::unique_ptr<communicator> split(std::size_t color) const override {
        MPI_Comm part;
        MPI_Comm_split(comm_, static_cast<int>(color), static_cast<int>(rank_), &part);
        return std::make_unique<mpi_group>(part);
    }

    const std::vector<std::vector<char>>& gather(const std::vector<char>& mine) const override {
        barrier();
        std::uint64_t n = mine.size();
        std::vector<std::uint64_t> sizes(size_);
        MPI_Gather(&n, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, 0, comm_);
        auto& all = inbox_;
        if (rank_ == 0) {
            try_or_fail([&] {
                all.resize(size_);
                all[0] = mine;
                for (std::size_t r = 1; r < size_; ++r) all[r].resize(sizes[r]);
            });
            for (std::size_t r = 1; r < size_; ++r) receive(all[r], static_cast<int>(r));
        } else {
            all.clear();
            barrier();
            send(mine, 0);
        }
        return all;
    }

    std::vector<char> broadcast(const std::vector<char>& from_first) const override {
        barrier();
        std::uint64_t n = from_first.size();
        MPI_Bcast(&n, 1, MPI_UINT64_T, 0, comm_);
        std::vector<char> out;
        try_or_fail([&] { out = rank_ == 0 ? from_first : std::vector<char>(n); });
        for (std::size_t at = 0; at < n; at += chunk_bytes)
            MPI_Bcast(out.data() + at, static_cast<int>(std::min(chunk_bytes, n - at)), MPI_CHAR, 0, comm_);
        return out;
    }

private:
    // From counts_ (each process's bytes for this one): their offsets in
    // `at` and displacements_, and `into` sized for all of them.
    void lay_out_received(std::vector<std::size_t>& at, std::vector<char>& into) const {
        displacements_.resize(size_);
        at.resize(size_ + 1);
        at[0] = 0;
        for (std::size_t r = 0; r < size_; ++r) {
            at[r + 1] = at[r] + static_cast<std::size_t>(counts_[r]);
            if (at[r + 1] > static_cast<std::size_t>(std::numeric_limits<int>::max()))
                throw std::length_error("exchange: 2 GiB or more received");
            displacements_[r] = static_cast<int>(at[r]);
        }
        into.resize(at[size_]);
    }

    void describe() {
        int r = 0, s = 0;
        MPI_Comm_rank(comm_, &r);
        MPI_Comm_size(comm_, &s);
        rank_ = static_cast<std::size_t>(r);
        size_ = static_cast<std::size_t>(s);
        MPI_Comm node;
        MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, r, MPI_INFO_NULL, &node);
        MPI_Comm_size(node, &s);
        local_size_ = static_cast<std::size_t>(s);
        MPI_Comm_free(&node);
    }

    // The agreement every collective starts with: the lowest failing rank
    // (size_ when none) on all, then that rank's status and line from it.
    job_failure agree(std::size_t mine, int status = 0, const std::string& line = {}) const {
        const int me = static_cast<int>(mine);
        int first = 0;
        MPI_Allreduce(&me, &first, 1, MPI_INT, MPI_MIN, comm_);
        if (first == static_cast<int>(size_)) return {};
        job_failure f{static_cast<std::size_t>(first), status, line};
        std::uint64_t length = line.size();
        MPI_Bcast(&f.status, 1, MPI_INT, first, comm_);
        MPI_Bcast(&length, 1, MPI_UINT64_T, first, comm_);
        f.line.resize(length);
        MPI_Bcast(f.line.data(), static_cast<int>(length), MPI_CHAR, first, comm_);
        if (mine == size_) throw job_failed(f);  // another process failed
        return f;
    }

    // Runs an allocation; a process that cannot make it fails the job there,
    // the others agree that it did at the same point.
    template <class F>
    void try_or_fail(F&& allocate) const {
        bool ok = true;
        try {
            allocate();
        } catch (const std::bad_alloc&) {
            ok = false;
        }
        if (!ok) throw job_failed(fail(exit_internal, "out of memory receiving results of the other ranks"));
        barrier();
    }

    void send(const std::vector<char>& bytes, int to) const {
        for (std::size_t at = 0; at < bytes.size(); at += chunk_bytes)
            MPI_Send(bytes.data() + at, static_cast<int>(std::min(chunk_bytes, bytes.size() - at)), MPI_CHAR, to, 0,
                     comm_);
    }
    void receive(std::vector<char>& bytes, int from) const {
        for (std::size_t at = 0; at < bytes.size(); at += chunk_bytes)
            MPI_Recv(bytes.data() + at, static_cast<int>(std::min(chunk_bytes, bytes.size() - at)), MPI_CHAR, from, 0,
                     comm_, MPI_STATUS_IGNORE);
    }

    MPI_Comm comm_;
    bool world_;
    std::size_t rank_ = 0, size_ = 1, local_size_ = 1;
    mutable std::vector<std::vector<char>> inbox_;  // gather's, kept for the next
    mutable std::vector<int> counts_, displacements_;            // all_to_all's
    mutable std::vector<int> send_counts_, send_displacements_;  // all_to_all's
};

#endif

}  // namespace

int threads_per_rank(int threads, const communicator& job) {
    if (threads > 0 || job.size() == 1) return threads;
    const auto cores = static_cast<std::size_t>(std::max(1u, std::thread::hardware_concurrency()));
    return static_cast<int>(std::max<std::size_t>(1, cores / job.local_size()));
}

std::unique_ptr<tbb::global_control> limit_workers(int threads) {
    if (threads <= 0) return nullptr;
    return std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                 static_cast<std::size_t>(threads));
}

std::unique_ptr<communicator> start_job([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
    if (!launched_by_mpirun()) return std::make_unique<single_process>();
#ifdef GUST_MPI
    return std::make_unique<mpi_group>(argc, argv);
#else
    const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
    if (size && std::string(size) != "1")
        throw input_error("this gust was built without MPI (cmake -DGUST_MPI=ON); run it without mpirun");
    return std::make_unique<single_process>();
#endif
}

}  // namespace gust::cli
