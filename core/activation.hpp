#pragma once
// The activations a graded layer can apply (neurons/graded_layer.hpp
// computes them); a value type every layer of gust shares.
namespace gust {

enum class activation { relu, sigmoid };

}  // namespace gust
