#include "io/network_toml.hpp"

#include <toml++/toml.h>

#include <cmath>
#include <cerrno>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <sys/stat.h>

#include "core/error.hpp"

namespace gust {
namespace {

constexpr std::int64_t max_units = std::int64_t{1} << 31;  // unit indices are 32-bit
constexpr std::int64_t max_side = 65536, max_cycle = 1000, max_delay = 100000;

// Reads one table's keys, remembering which were used so that anything left
// over (a misspelt key) is refused with the keys that are allowed.
class table_reader {
public:
    table_reader(const toml::table& t, std::string origin, std::string what)
        : t_(t), origin_(std::move(origin)), what_(std::move(what)) {}

    [[noreturn]] void fail(const toml::node* n, const std::string& msg) const {
        const auto line = n ? n->source().begin.line : t_.source().begin.line;
        throw input_error(origin_ + ":" + std::to_string(line) + ": " + what_ + msg);
    }
    int line() const { return static_cast<int>(t_.source().begin.line); }

    const toml::node* get(const char* key) {
        used_.push_back(key);
        return t_.get(key);
    }
    bool has(const char* key) const { return t_.contains(key); }

    std::string string(const char* key, const std::string& fallback, bool required = false) {
        const toml::node* n = get(key);
        if (!n) {
            if (required) fail(nullptr, "key '" + std::string(key) + "' is required");
            return fallback;
        }
        if (!n->is_string()) fail(n, "key '" + std::string(key) + "' must be a string");
        return n->as_string()->get();
    }
    std::string choice(const char* key, std::initializer_list<const char*> allowed, const char* fallback) {
        const toml::node* n = t_.get(key);
        const std::string v = string(key, fallback);
        for (const char* a : allowed)
            if (v == a) return v;
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
        fail(n, "key '" + std::string(key) + "' must be one of " + list + ", not \"" + v + "\"");
    }
    std::int64_t integer(const char* key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
        const toml::node* n = get(key);
        if (!n) return fallback;
        return integer_of(n, key, lo, hi);
    }
    std::int64_t integer_of(const toml::node* n, const char* key, std::int64_t lo, std::int64_t hi) const {
        if (!n->is_integer()) fail(n, "key '" + std::string(key) + "' must be an integer");
        const std::int64_t v = n->as_integer()->get();
        if (v < lo || v > hi)
            fail(n, "key '" + std::string(key) + "' = " + std::to_string(v) + " is outside [" + std::to_string(lo) +
                        ", " + std::to_string(hi) + "]");
        return v;
    }
    float number(const char* key, float fallback, double lo, double hi) {
        const toml::node* n = get(key);
        if (!n) return fallback;
        double v;
        if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
        else if (n->is_floating_point()) v = n->as_floating_point()->get();
        else fail(n, "key '" + std::string(key) + "' must be a number");
        if (!std::isfinite(v) || v < lo || v > hi) {
            std::ostringstream s;
            s << "key '" << key << "' = " << v << " is outside [" << lo << ", " << hi << "]";
            fail(n, s.str());
        }
        return static_cast<float>(v);
    }
    bool boolean(const char* key, bool fallback) {
        const toml::node* n = get(key);
        if (!n) return fallback;
        if (!n->is_boolean()) fail(n, "key '" + std::string(key) + "' must be true or false");
        return n->as_boolean()->get();
    }
    // Refuses keys that make no sense here (e.g. theta on a graded population).
    void forbid(std::initializer_list<const char*> keys, const std::string& why) {
        for (const char* k : keys)
            if (const toml::node* n = t_.get(k)) fail(n, "key '" + std::string(k) + "' " + why);
    }
    // Refuses every key not read.
    void finish() const {
        for (auto&& [k, v] : t_) {
            bool known = false;
            for (const char* u : used_) known |= k.str() == u;
            if (!known) {
                std::string list;
                for (const char* u : used_) list += (list.empty() ? "" : ", ") + std::string(u);
                fail(&v, "unknown key '" + std::string(k.str()) + "' (allowed here: " + list + ")");
            }
        }
    }

private:
    const toml::table& t_;
    std::string origin_, what_;
    std::vector<const char*> used_;
};

// A size: a positive integer, or "image" for height x width.
std::size_t size_value(table_reader& r, const toml::node* n, bool& image_sized, std::size_t pixels, bool required) {
    image_sized = false;
    if (!n) {
        if (required) r.fail(nullptr, "key 'size' is required (an integer or \"image\")");
        image_sized = true;
        return pixels;
    }
    if (n->is_string()) {
        if (n->as_string()->get() != "image") r.fail(n, "key 'size' must be a positive integer or \"image\"");
        image_sized = true;
        return pixels;
    }
    return static_cast<std::size_t>(r.integer_of(n, "size", 1, max_units));
}

const toml::array* array_of_tables(table_reader& top, const char* key) {
    const toml::node* n = top.get(key);
    if (!n) return nullptr;
    const toml::array* a = n->as_array();
    if (!a || !a->is_array_of_tables())
        top.fail(n, "'" + std::string(key) + "' must be an array of tables ([[" + key + "]])");
    return a;
}

population_spec read_population(const toml::table& t, const std::string& origin, std::size_t pixels) {
    population_spec p;
    const std::string name = table_reader(t, origin, "population: ").string("name", "", true);
    table_reader r(t, origin, "population '" + name + "': ");
    p.line = r.line();
    p.name = r.string("name", "", true);
    if (!r.has("kind")) r.fail(nullptr, "key 'kind' is required (\"spiking\" or \"graded\")");
    const std::string kind = r.choice("kind", {"spiking", "graded"}, "");
    p.type = kind == "spiking" ? population::kind::spiking : population::kind::graded;
    const bool spiking = p.type == population::kind::spiking;
    p.size = size_value(r, r.get("size"), p.image_sized, pixels, !spiking);
    if (spiking) {
        r.forbid({"activation", "bias", "initial"}, "applies to graded populations only");
        p.context = r.string("context", "", true);
        p.theta = r.number("theta", 1.0f, -1e6, 1e6);
        p.refractory = static_cast<int>(r.integer("refractory", 9, 1, 255));
    } else {
        r.forbid({"context", "theta", "refractory"}, "applies to the spiking population only");
        p.act = r.choice("activation", {"relu", "sigmoid"}, "sigmoid") == "relu" ? activation::relu
                                                                                 : activation::sigmoid;
        p.bias = r.boolean("bias", true);
        p.history = r.choice("initial", {"zeros", "uniform"}, "zeros") == "uniform" ? initial_history::uniform
                                                                                     : initial_history::zeros;
    }
    r.finish();
    return p;
}

projection_spec read_projection(const toml::table& t, const std::string& origin, int cycle) {
    projection_spec p;
    table_reader first(t, origin, "projection: ");
    const std::string from = first.string("from", "", true), to = first.string("to", "", true);
    table_reader r(t, origin, "projection " + from + " -> " + to + ": ");
    p.line = r.line();
    p.source = r.string("from", "", true);
    p.target = r.string("to", "", true);
    p.shares = r.string("shares", "");
    if (!p.shares.empty())
        r.forbid({"name", "connectivity", "fan_in", "radius", "draw", "procedural", "init", "gain"},
                 "does not apply to a projection that shares another's weights");
    else
        p.name = r.string("name", "", true);
    if (const toml::node* n = r.get("delay")) {
        if (n->is_string()) {
            if (n->as_string()->get() != "cycle") r.fail(n, "key 'delay' must be an integer >= 0 or \"cycle\"");
            p.delay_is_cycle = true;
            p.delay = cycle;
        } else {
            p.delay = static_cast<int>(r.integer_of(n, "delay", 0, max_delay));
        }
    }
    p.release_p = r.number("release_p", 1.0f, 0.0, 1.0);
    if (p.shares.empty()) {
        const std::string c = r.choice("connectivity", {"dense", "random", "local"}, "dense");
        p.conn = c == "dense" ? connectivity::dense : c == "random" ? connectivity::random : connectivity::local;
        if (p.conn == connectivity::dense) r.forbid({"fan_in", "radius"}, "applies to random and local projections only");
        if (p.conn == connectivity::random) r.forbid({"radius"}, "applies to local projections only");
        p.fan_in = static_cast<std::size_t>(r.integer("fan_in", 0, 1, max_units));
        p.radius = static_cast<std::size_t>(r.integer("radius", 0, 1, max_side));
        if (p.conn != connectivity::local) r.forbid({"draw", "procedural"}, "applies to local projections only");
        if (r.choice("draw", {"fixed", "independent"}, "fixed") == "independent") p.draw = synapse_draw::independent;
        const toml::node* proc = t.get("procedural");
        p.procedural = r.boolean("procedural", false);
        if (p.procedural && p.draw != synapse_draw::independent)
            r.fail(proc, "key 'procedural' = true needs draw = \"independent\" (a fixed draw cannot be regenerated "
                         "source by source)");
        p.init = r.choice("init", {"uniform", "zero"}, "uniform") == "zero" ? weight_init::zero : weight_init::uniform;
        p.gain = r.number("gain", 1.0f, 0.0, 1e6);
    }
    r.finish();
    return p;
}

}  // namespace

network_description parse_network_description(std::string_view text, const std::string& origin) {
    toml::table doc;
    try {
        doc = toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        throw input_error(origin + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description()));
    }
    network_description d;
    table_reader top(doc, origin, "");
    if (const toml::node* n = top.get("image")) {
        if (!n->is_table()) top.fail(n, "'image' must be a table ([image])");
        table_reader im(*n->as_table(), origin, "image: ");
        d.height = static_cast<std::size_t>(im.integer("height", 28, 1, max_side));
        d.width = static_cast<std::size_t>(im.integer("width", 28, 1, max_side));
        im.finish();
    }
    if (d.pixels() > static_cast<std::size_t>(max_units)) top.fail(nullptr, "the image has more than 2^31 pixels");
    d.cycle = static_cast<int>(top.integer("cycle", 10, 1, max_cycle));
    d.readout = top.string("readout", "");
    if (const toml::array* a = array_of_tables(top, "population"))
        for (const toml::node& n : *a) d.populations.push_back(read_population(*n.as_table(), origin, d.pixels()));
    if (const toml::array* a = array_of_tables(top, "projection"))
        for (const toml::node& n : *a) d.projections.push_back(read_projection(*n.as_table(), origin, d.cycle));
    top.finish();
    if (d.readout.empty())
        for (const auto& p : d.populations)
            if (p.type == population::kind::spiking && d.readout.empty()) d.readout = p.name;
    validate(d, origin);
    return d;
}

network_description read_network_description(const std::string& path) {
    struct stat st{};
    if (stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) throw missing_file_error(path + ": no such file");
        throw input_error(path + ": cannot open the network description");
    }
    if (!S_ISREG(st.st_mode)) throw input_error(path + ": not a regular file");
    if (st.st_size > (1 << 20)) throw input_error(path + ": a network description is at most 1 MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw input_error(path + ": cannot open the network description");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_network_description(text.str(), path);
}

namespace {

// Names are plain (validate() allows letters, digits, _ . - and /), so a
// basic string needs no escapes.
std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string number(float v) {
    std::ostringstream o;
    o << toml::value<double>(static_cast<double>(v));
    return o.str();
}

}  // namespace

std::string format_network_description(const network_description& d) {
    std::ostringstream o;
    o << "# A GUST network (docs/network.md).\n";
    o << "cycle = " << d.cycle << "\n";
    o << "readout = " << quoted(d.readout) << "\n\n";
    o << "[image]\nheight = " << d.height << "\nwidth = " << d.width << "\n";
    for (const auto& p : d.populations) {
        o << "\n[[population]]\nname = " << quoted(p.name) << "\n";
        const bool spiking = p.type == population::kind::spiking;
        o << "kind = \"" << (spiking ? "spiking" : "graded") << "\"\n";
        if (p.image_sized) o << "size = \"image\"\n";
        else o << "size = " << p.size << "\n";
        if (spiking) {
            o << "context = " << quoted(p.context) << "\ntheta = " << number(p.theta)
              << "\nrefractory = " << p.refractory << "\n";
        } else {
            o << "activation = \"" << (p.act == activation::relu ? "relu" : "sigmoid") << "\"\n";
            o << "bias = " << (p.bias ? "true" : "false") << "\n";
            o << "initial = \"" << (p.history == initial_history::uniform ? "uniform" : "zeros") << "\"\n";
        }
    }
    for (const auto& p : d.projections) {
        o << "\n[[projection]]\n";
        if (p.owns_weights()) o << "name = " << quoted(p.name) << "\n";
        o << "from = " << quoted(p.source) << "\nto = " << quoted(p.target) << "\n";
        if (!p.owns_weights()) o << "shares = " << quoted(p.shares) << "\n";
        if (p.delay_is_cycle) o << "delay = \"cycle\"\n";
        else o << "delay = " << p.delay << "\n";
        o << "release_p = " << number(p.release_p) << "\n";
        if (!p.owns_weights()) continue;
        const char* c = p.conn == connectivity::dense ? "dense" : p.conn == connectivity::random ? "random" : "local";
        o << "connectivity = \"" << c << "\"\n";
        if (p.conn != connectivity::dense) o << "fan_in = " << p.fan_in << "\n";
        if (p.conn == connectivity::local) o << "radius = " << p.radius << "\n";
        // Written only when not the default, so descriptions written before these keys read back the same.
        if (p.draw == synapse_draw::independent) o << "draw = \"independent\"\n";
        if (p.procedural) o << "procedural = true\n";
        o << "init = \"" << (p.init == weight_init::zero ? "zero" : "uniform") << "\"\n";
        o << "gain = " << number(p.gain) << "\n";
    }
    return o.str();
}

}  // namespace gust
