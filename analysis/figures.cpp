#include "analysis/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

namespace gust::analysis {
namespace {

constexpr rgb kWhite{255, 255, 255}, kInk{30, 30, 30}, kDark{22, 22, 28}, kOverlap{150, 150, 150},
    kOutline{235, 235, 235}, kGrid{225, 225, 225}, kCycleLine{48, 48, 56};

std::string fixed(double v, int decimals) {
    if (std::isnan(v)) return "N/A";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// A tick spacing of 1, 2 or 5 times a power of ten giving about `target` ticks.
double nice_step(double range, int target) {
    const double raw = range / std::max(1, target);
    const double p = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= raw) return m * p;
    return 10.0 * p;
}

// Upscaling factor that makes a small image at least `target` pixels on its
// long side (28 x 28 -> x10), so panels have room for their captions.
int upscale(std::size_t height, std::size_t width, int target = 280) {
    const auto longest = static_cast<int>(std::max<std::size_t>(1, std::max(height, width)));
    return std::max(1, (target + longest - 1) / longest);
}

bool is_drawn(const image_view& v, std::size_t p) {
    // The shape's pixels: the input where known, else anything labelled or firing.
    if (v.input && !v.input->empty()) return (*v.input)[p] != 0.0f;
    if ((*v.labels)[p] != 0) return true;
    for (int c = 0; c < v.trains->cycles; ++c)
        if (v.trains->at(c, p)) return true;
    return false;
}

// Colour of a pixel in the ground-truth panel.
rgb truth_colour(const image_view& v, std::size_t p) {
    if (!is_drawn(v, p)) return kDark;
    const int g = (*v.labels)[p];
    return g > 0 ? group_colour(g) : kOverlap;
}

// Circular mean of a pixel's spike phases over the last cycles: the hue, and
// how concentrated they are (1 = always the same phase) for the brightness.
struct phase_mean {
    bool fired = false;
    double phase = 0.0, concentration = 0.0;
};
phase_mean mean_phase(const cycle_trains& tr, std::size_t p, int first_cycle) {
    double sx = 0.0, sy = 0.0;
    int n = 0;
    for (int c = first_cycle; c < tr.cycles; ++c)
        for (int t = 0; t < tr.T; ++t)
            if (tr.at(c, p) & (1u << t)) {
                const double a = 2.0 * std::numbers::pi * t / tr.T;
                sx += std::cos(a);
                sy += std::sin(a);
                ++n;
            }
    phase_mean m;
    if (n == 0) return m;
    m.fired = true;
    double a = std::atan2(sy, sx);
    if (a < 0) a += 2.0 * std::numbers::pi;
    m.phase = a * tr.T / (2.0 * std::numbers::pi);
    m.concentration = std::hypot(sx, sy) / n;
    return m;
}

rgb scaled(rgb c, double f) {
    const auto s = [f](std::uint8_t x) { return static_cast<std::uint8_t>(std::lround(std::clamp(f, 0.0, 1.0) * x)); };
    return {s(c.r), s(c.g), s(c.b)};
}

// Cluster -> colour of the ground-truth group it shares most pixels with,
// matched greedily one to one (largest overlap first), so a perfect read-out
// looks exactly like the ground-truth panel. Unmatched clusters get neutral tones.
std::vector<rgb> cluster_colours(const image_view& v, int cycle) {
    const int K = v.readout->K;
    const int groups = count_objects(*v.labels);
    const std::size_t n = v.height * v.width;
    std::vector<long> overlap(static_cast<std::size_t>(K) * static_cast<std::size_t>(groups + 1), 0);
    const std::int32_t* cl = v.readout->clusters.data() + static_cast<std::size_t>(cycle) * n;
    for (std::size_t p = 0; p < n; ++p) {
        const int g = (*v.labels)[p];
        if (g > 0 && cl[p] >= 0 && cl[p] < K) ++overlap[static_cast<std::size_t>(cl[p]) * static_cast<std::size_t>(groups + 1) + static_cast<std::size_t>(g)];
    }
    std::vector<int> match(static_cast<std::size_t>(K), 0);
    std::vector<char> group_taken(static_cast<std::size_t>(groups + 1), 0);
    for (;;) {
        long best = 0;
        int bc = -1, bg = -1;
        for (int c = 0; c < K; ++c) {
            if (match[static_cast<std::size_t>(c)]) continue;
            for (int g = 1; g <= groups; ++g) {
                const long o = overlap[static_cast<std::size_t>(c) * static_cast<std::size_t>(groups + 1) + static_cast<std::size_t>(g)];
                if (!group_taken[static_cast<std::size_t>(g)] && o > best) {
                    best = o;
                    bc = c;
                    bg = g;
                }
            }
        }
        if (bc < 0) break;
        match[static_cast<std::size_t>(bc)] = bg;
        group_taken[static_cast<std::size_t>(bg)] = 1;
    }
    const rgb neutral[] = {{240, 240, 240}, {140, 110, 80}, {110, 130, 110}, {90, 90, 140}};
    std::vector<rgb> colours(static_cast<std::size_t>(K));
    int spare = 0;
    for (int c = 0; c < K; ++c) {
        const int g = match[static_cast<std::size_t>(c)];
        colours[static_cast<std::size_t>(c)] = g > 0 ? group_colour(g) : neutral[spare++ % 4];
    }
    return colours;
}

// Draws a height x width image scaled by s at (x0, y0), pixel colours from f(p).
template <class F>
void draw_pixels(canvas& cv, int x0, int y0, const image_view& v, int s, F colour_of) {
    for (std::size_t r = 0; r < v.height; ++r)
        for (std::size_t c = 0; c < v.width; ++c)
            cv.fill_rect(x0 + static_cast<int>(c) * s, y0 + static_cast<int>(r) * s, s, s, colour_of(r * v.width + c));
}

// Thin lines where the ground truth changes between neighbouring pixels.
void draw_truth_outline(canvas& cv, int x0, int y0, const image_view& v, int s) {
    const auto key = [&](std::size_t r, std::size_t c) {
        const std::size_t p = r * v.width + c;
        return is_drawn(v, p) ? ((*v.labels)[p] > 0 ? (*v.labels)[p] : -1) : 0;
    };
    for (std::size_t r = 0; r < v.height; ++r)
        for (std::size_t c = 0; c < v.width; ++c) {
            const int k = key(r, c);
            const int x = x0 + static_cast<int>(c) * s, y = y0 + static_cast<int>(r) * s;
            if (c + 1 < v.width && key(r, c + 1) != k) cv.fill_rect(x + s - 1, y, 2, s, kOutline);
            if (r + 1 < v.height && key(r + 1, c) != k) cv.fill_rect(x, y + s - 1, s, 2, kOutline);
        }
}

// Tick label text: integers without decimals, else one decimal.
std::string tick_text(double v, double step) {
    if (std::abs(v) < 1e-12) v = 0.0;
    return fixed(v, step >= 1.0 ? 0 : 1);
}

}  // namespace

rgb group_colour(int g) {
    static const rgb palette[] = {{235, 80, 70},  {70, 150, 245},  {250, 205, 50},  {80, 200, 100},
                                  {190, 110, 235}, {255, 145, 50}, {60, 215, 215}, {245, 120, 185}};
    return palette[static_cast<std::size_t>((std::max(1, g) - 1) % 8)];
}

rgb phase_colour(double phase, int T) {
    // HSV with saturation 0.85 and value 1; hue = phase / T of the wheel.
    const double h = std::fmod(phase / T, 1.0) * 6.0, s = 0.85;
    const int sector = static_cast<int>(std::floor(h)) % 6;
    const double f = h - std::floor(h);
    const double p = 1.0 - s, q = 1.0 - s * f, t = 1.0 - s * (1.0 - f);
    double r = 1, g = 1, b = 1;
    switch (sector) {
        case 0: r = 1; g = t; b = p; break;
        case 1: r = q; g = 1; b = p; break;
        case 2: r = p; g = 1; b = t; break;
        case 3: r = p; g = q; b = 1; break;
        case 4: r = t; g = p; b = 1; break;
        default: r = 1; g = p; b = q; break;
    }
    const auto byte = [](double x) { return static_cast<std::uint8_t>(std::lround(255.0 * x)); };
    return {byte(r), byte(g), byte(b)};
}

canvas binding_picture(const image_view& v, int last_cycles) {
    const int s = upscale(v.height, v.width);
    const int pw = static_cast<int>(v.width) * s, ph = static_cast<int>(v.height) * s;
    const int margin = 24, gap = 24, title_h = 40, caption_h = 42, legend_h = 78;
    const int W = 2 * margin + 3 * pw + 2 * gap;
    const int H = title_h + caption_h + ph + legend_h;
    canvas cv(W, H, kWhite);
    const cycle_trains& tr = *v.trains;
    const int last = tr.cycles - 1;
    const int first = std::max(0, tr.cycles - last_cycles);
    const std::size_t L = static_cast<std::size_t>(last);

    cv.text(margin, 12, "IMAGE " + std::to_string(v.index) + ":  AMI " + fixed(v.readout->ami[L], 2) + "  SYNSCORE " +
                            fixed(v.readout->synscore[L], 2) + "  ACTIVE " + fixed(v.readout->active_synscore[L], 2) +
                            "  (CYCLE " + std::to_string(last) + ", K " + std::to_string(v.readout->K) + ")",
            kInk, 2);
    const int py = title_h + caption_h;
    const int x1 = margin, x2 = margin + pw + gap, x3 = margin + 2 * (pw + gap);
    cv.text(x1, title_h, "GROUND TRUTH", kInk, 2);
    cv.text(x1, title_h + 18, "GREY = OVERLAP", kInk, 1);
    cv.text(x2, title_h, "SPIKE PHASE", kInk, 2);
    cv.text(x2, title_h + 18,
            "CYCLES " + std::to_string(first) + "-" + std::to_string(last) + ", OUTLINE = TRUTH", kInk, 1);
    cv.text(x3, title_h, "CLUSTERS", kInk, 2);
    cv.text(x3, title_h + 18, "CYCLE " + std::to_string(last) + ", IN THE COLOUR OF THE GROUP", kInk, 1);
    cv.text(x3, title_h + 29, "EACH COVERS MOST; WHITE/BROWN = NO GROUP", kInk, 1);

    draw_pixels(cv, x1, py, v, s, [&](std::size_t p) { return truth_colour(v, p); });
    draw_pixels(cv, x2, py, v, s, [&](std::size_t p) {
        const phase_mean m = mean_phase(tr, p, first);
        if (!m.fired) return kDark;
        return scaled(phase_colour(m.phase, tr.T), 0.35 + 0.65 * m.concentration);
    });
    draw_truth_outline(cv, x2, py, v, s);
    const std::vector<rgb> cc = cluster_colours(v, last);
    const std::int32_t* cl = v.readout->clusters.data() + L * v.height * v.width;
    draw_pixels(cv, x3, py, v, s, [&](std::size_t p) {
        return is_drawn(v, p) ? cc[static_cast<std::size_t>(cl[p])] : kDark;
    });

    // Phase key under the phase panel: one swatch per step of the cycle.
    const int ly = py + ph + 12;
    const int sw = std::max(10, std::min(24, (pw - 60) / tr.T));
    cv.text(x2, ly, "PHASE (STEP IN CYCLE)", kInk, 1);
    for (int t = 0; t < tr.T; ++t) {
        const int x = x2 + t * sw;
        cv.fill_rect(x, ly + 12, sw - 2, 14, phase_colour(t, tr.T));
        cv.text(x + (sw - 2 - canvas::text_width(std::to_string(t))) / 2, ly + 30, std::to_string(t), kInk, 1);
    }
    cv.fill_rect(x2, ly + 44, 12, 12, kDark);
    cv.text(x2 + 16, ly + 47, "NO SPIKE   DIMMER = LESS REGULAR", kInk, 1);
    return cv;
}

canvas spike_raster(const image_view& v) {
    const cycle_trains& tr = *v.trains;
    const std::size_t n = v.height * v.width;
    // Rows: groups 1..n in order, then unlabelled drawn pixels (overlaps).
    const int groups = count_objects(*v.labels);
    std::vector<std::size_t> rows;
    std::vector<int> row_group;
    for (int g = 1; g <= groups + 1; ++g) {
        const int want = g <= groups ? g : 0;
        for (std::size_t p = 0; p < n; ++p) {
            bool fires = false;
            for (int c = 0; c < tr.cycles && !fires; ++c) fires = tr.at(c, p) != 0;
            if ((*v.labels)[p] == want && (want != 0 || is_drawn(v, p) || fires)) {
                rows.push_back(p);
                row_group.push_back(want);
            }
        }
    }
    // A large image would give a raster thousands of rows tall: keep every
    // k-th pixel of each group so that at most ~960 rows remain.
    if (rows.size() > 960) {
        const std::size_t k = (rows.size() + 959) / 960;
        std::vector<std::size_t> kept_rows;
        std::vector<int> kept_groups;
        std::size_t in_group = 0;
        for (std::size_t r = 0; r < rows.size(); ++r) {
            in_group = (r > 0 && row_group[r] == row_group[r - 1]) ? in_group + 1 : 0;
            if (in_group % k) continue;
            kept_rows.push_back(rows[r]);
            kept_groups.push_back(row_group[r]);
        }
        rows.swap(kept_rows);
        row_group.swap(kept_groups);
    }
    const int steps = tr.cycles * tr.T;
    const int nrows = std::max<int>(1, static_cast<int>(rows.size()));
    const int rh = std::clamp(480 / nrows, 1, 4);
    const int sx = std::clamp(900 / std::max(1, steps), 1, 8);
    const int left = 110, top = 44, right = 24, bottom = 56;
    const int pw = steps * sx, ph = nrows * rh;
    const std::string title = "IMAGE " + std::to_string(v.index) + ": SPIKES OF EACH PIXEL, SORTED AND COLOURED BY GROUP";
    canvas cv(left + std::max(pw, canvas::text_width(title, 2)) + right, top + ph + bottom, kWhite);
    cv.text(left, 14, title, kInk, 2);
    cv.fill_rect(left, top, pw, ph, kDark);
    for (int c = 1; c < tr.cycles; ++c) cv.fill_rect(left + c * tr.T * sx, top, 1, ph, kCycleLine);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const rgb col = row_group[r] > 0 ? group_colour(row_group[r]) : kOverlap;
        const int y = top + static_cast<int>(r) * rh;
        for (int c = 0; c < tr.cycles; ++c) {
            const std::uint16_t bits = tr.at(c, rows[r]);
            for (int t = 0; t < tr.T; ++t)
                if (bits & (1u << t)) cv.fill_rect(left + (c * tr.T + t) * sx, y, std::max(sx, 2), rh, col);
        }
    }
    // Group bands: separators and names on the left.
    std::size_t start = 0;
    while (start < rows.size()) {
        std::size_t end = start;
        while (end < rows.size() && row_group[end] == row_group[start]) ++end;
        const int g = row_group[start];
        const std::string name = g > 0 ? "GROUP " + std::to_string(g) : "OVERLAP";
        const int yc = top + static_cast<int>((start + end) * static_cast<std::size_t>(rh) / 2);
        cv.fill_rect(left - 14, top + static_cast<int>(start) * rh, 8, static_cast<int>(end - start) * rh,
                     g > 0 ? group_colour(g) : kOverlap);
        cv.text(left - 18 - canvas::text_width(name), yc - 3, name, kInk, 1);
        if (start > 0) cv.fill_rect(left, top + static_cast<int>(start) * rh, pw, 1, kOutline);
        start = end;
    }
    const std::string yt = "PIXELS, ONE ROW EACH";
    cv.text_up(12, top + std::max(0, (ph - canvas::text_width(yt)) / 2), yt, kInk, 1);
    // Time axis.
    const double step = nice_step(steps, 8);
    for (double x = 0; x <= steps + 1e-9; x += step) {
        const int px = left + static_cast<int>(std::lround(x * sx));
        cv.fill_rect(px, top + ph, 1, 6, kInk);
        const std::string lab = tick_text(x, step);
        cv.text(px - canvas::text_width(lab) / 2, top + ph + 10, lab, kInk, 1);
    }
    const std::string xt = "STEP (" + std::to_string(tr.T) + " STEPS PER CYCLE, FAINT LINES = CYCLE STARTS)";
    cv.text(left + (pw - canvas::text_width(xt)) / 2, top + ph + 30, xt, kInk, 1);
    return cv;
}

namespace {

// One panel of the metrics figure: mean line and mean +- std band against step.
void metric_panel(canvas& cv, int x0, int y0, int pw, int ph, const std::vector<cycle_summary>& summary, int T,
                  double cycle_summary::*mean, double cycle_summary::*sd, double ymin, rgb colour,
                  const std::string& title) {
    const double xmax = static_cast<double>(summary.size()) * T;
    const auto X = [&](double step) { return x0 + static_cast<int>(std::lround(step / xmax * pw)); };
    const auto Y = [&](double v) {
        return y0 + static_cast<int>(std::lround((1.0 - (std::clamp(v, ymin, 1.0) - ymin) / (1.0 - ymin)) * ph));
    };
    cv.text(x0, y0 - 24, title, kInk, 2);
    // Grid, zero line and y ticks.
    for (double y = ymin; y <= 1.0 + 1e-9; y += 0.2) {
        const bool zero = std::abs(y) < 1e-9;
        cv.fill_rect(x0, Y(y), pw, 1, zero ? rgb{150, 150, 150} : kGrid);
        cv.fill_rect(x0 - 5, Y(y), 5, 1, kInk);
        const std::string lab = tick_text(y, 0.2);
        cv.text(x0 - 8 - canvas::text_width(lab), Y(y) - 3, lab, kInk, 1);
    }
    const double xs = nice_step(xmax, 6);
    for (double x = 0; x <= xmax + 1e-9; x += xs) {
        cv.fill_rect(X(x), y0 + ph, 1, 5, kInk);
        const std::string lab = tick_text(x, xs);
        cv.text(X(x) - canvas::text_width(lab) / 2, y0 + ph + 9, lab, kInk, 1);
    }
    const std::string xt = "STEP";
    cv.text(x0 + (pw - canvas::text_width(xt, 2)) / 2, y0 + ph + 24, xt, kInk, 2);
    // Band: between consecutive cycles, fill the interpolated [mean - std, mean + std] column by column.
    const auto mean_of = [&](const cycle_summary& s) { return s.*mean; };
    const auto std_of = [&](const cycle_summary& s) { return s.*sd; };
    for (std::size_t i = 0; i + 1 < summary.size(); ++i) {
        const auto &a = summary[i], &b = summary[i + 1];
        if (std::isnan(mean_of(a)) || std::isnan(mean_of(b))) continue;
        const int xa = X(a.step), xb = X(b.step);
        // Half-open columns [xa, xb) so neighbouring segments never blend one column twice.
        const bool last_segment = i + 2 == summary.size() || std::isnan(mean_of(summary[i + 2]));
        for (int x = xa; x < xb + (last_segment ? 1 : 0); ++x) {
            const double f = xb > xa ? static_cast<double>(x - xa) / (xb - xa) : 0.0;
            const double m = mean_of(a) + f * (mean_of(b) - mean_of(a));
            const double sd = std_of(a) + f * (std_of(b) - std_of(a));
            const int top = Y(m + sd), bot = Y(m - sd);
            cv.blend_rect(x, top, 1, bot - top + 1, colour, 0.25);
        }
    }
    for (std::size_t i = 0; i < summary.size(); ++i) {
        const auto& a = summary[i];
        if (std::isnan(mean_of(a))) continue;
        if (i + 1 < summary.size() && !std::isnan(mean_of(summary[i + 1])))
            cv.line(X(a.step), Y(mean_of(a)), X(summary[i + 1].step), Y(mean_of(summary[i + 1])), colour, 2);
        cv.fill_rect(X(a.step) - 2, Y(mean_of(a)) - 2, 5, 5, colour);
    }
    cv.outline_rect(x0, y0, pw + 1, ph + 1, kInk);
}

}  // namespace

canvas metrics_plot(const std::vector<cycle_summary>& summary, std::size_t images, int T) {
    const int pw = 440, ph = 300, left = 60, gap = 90, top = 70, bottom = 60, right = 30;
    canvas cv(left + 3 * pw + 2 * gap + right, top + ph + bottom, kWhite);
    // One y range for both panels so they compare at a glance: [-0.2, 1] unless
    // a band reaches lower.
    double lowest = 0.0;
    for (const auto& s : summary) {
        if (!std::isnan(s.ami_mean)) lowest = std::min(lowest, s.ami_mean - s.ami_std);
        if (!std::isnan(s.synscore_mean)) lowest = std::min(lowest, s.synscore_mean - s.synscore_std);
        if (!std::isnan(s.active_synscore_mean))
            lowest = std::min(lowest, s.active_synscore_mean - s.active_synscore_std);
    }
    const double ymin = std::max(-1.0, std::min(-0.2, std::floor(lowest / 0.2 - 1e-9) * 0.2));
    cv.text(left, 12,
            "READ-OUT OVER " + std::to_string(images) + (images == 1 ? " IMAGE" : " IMAGES") +
                ":  LINE = MEAN,  BAND = MEAN ~ STD",
            kInk, 2);
    using c = cycle_summary;
    metric_panel(cv, left, top, pw, ph, summary, T, &c::ami_mean, &c::ami_std, ymin, {40, 90, 200}, "AMI");
    metric_panel(cv, left + pw + gap, top, pw, ph, summary, T, &c::synscore_mean, &c::synscore_std, ymin,
                 {210, 90, 30}, "SYNSCORE");
    // SynScore with silent pixels scored 0: silent shapes cannot pass for groups.
    metric_panel(cv, left + 2 * (pw + gap), top, pw, ph, summary, T, &c::active_synscore_mean, &c::active_synscore_std,
                 ymin, {30, 150, 80}, "ACTIVE SYNSCORE");
    return cv;
}

}  // namespace gust::analysis
