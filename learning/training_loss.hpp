#pragma once
// The loss and gradient training asks for, on any network: the paper
// network with dense layers takes the event-based pass specialised for it
// (learning/batch_gradient.hpp: GEMMs over phases, spikes as events), every
// other network the general one (learning/network_bptt.hpp). Both reproduce
// the published implementation's golden traces; the result is in
// parameter_layout() order.
#include "learning/group_selection.hpp"
#include "learning/model_parameters.hpp"
#include "learning/train_forward.hpp"

namespace gust::learning {

struct training_result {
    double loss = 0;          // summed over the images
    std::size_t spikes = 0;
    tensor_list grad;         // empty without gradient
    bool cancelled = false;   // bptt_options::cancel was set: throw the result away
};

// Whether m takes the specialised paper pass.
bool uses_paper_pass(const network_model& m);

training_result training_loss_and_gradient(const network_model& m, const image_inputs& in, const draw_source& draws,
                                           const bptt_options& opt, int threads, bool with_gradient = true,
                                           const group_selection& groups = {});

// How many groups of images the pass m takes splits a batch of `images` into.
std::size_t training_groups(const network_model& m, std::size_t images);

}  // namespace gust::learning
