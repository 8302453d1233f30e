#pragma once
// What io/h5.cpp and io/h5_attributes.cpp share, not part of the h5 API:
// the HDF5 types of each element type, and failures that name the file.
#include <cstdint>
#include <string>
#include <type_traits>

#include "io/h5.hpp"

namespace gust::h5::detail {

// The memory-side type of T.
template <class T>
hid_t native_type() {
    if constexpr (std::is_same_v<T, float>) return H5T_NATIVE_FLOAT;
    else if constexpr (std::is_same_v<T, double>) return H5T_NATIVE_DOUBLE;
    else if constexpr (std::is_same_v<T, std::int8_t>) return H5T_NATIVE_INT8;
    else if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_NATIVE_UINT8;
    else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_NATIVE_INT32;
    else if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_NATIVE_UINT32;
    else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_NATIVE_INT64;
    else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_NATIVE_UINT64;
    else static_assert(sizeof(T) == 0, "unsupported HDF5 element type");
}

// The file-side type written for T: little-endian IEEE/standard integers.
template <class T>
hid_t file_type() {
    if constexpr (std::is_same_v<T, float>) return H5T_IEEE_F32LE;
    else if constexpr (std::is_same_v<T, double>) return H5T_IEEE_F64LE;
    else if constexpr (std::is_same_v<T, std::int8_t>) return H5T_STD_I8LE;
    else if constexpr (std::is_same_v<T, std::uint8_t>) return H5T_STD_U8LE;
    else if constexpr (std::is_same_v<T, std::int32_t>) return H5T_STD_I32LE;
    else if constexpr (std::is_same_v<T, std::uint32_t>) return H5T_STD_U32LE;
    else if constexpr (std::is_same_v<T, std::int64_t>) return H5T_STD_I64LE;
    else if constexpr (std::is_same_v<T, std::uint64_t>) return H5T_STD_U64LE;
    else static_assert(sizeof(T) == 0, "unsupported HDF5 element type");
}

// An input_error naming f's path.
[[noreturn]] inline void fail(const file& f, const std::string& what) {
    throw input_error(f.path + ": " + what);
}

// Any object (group or dataset) by path, "/" the root; throws when missing.
handle open_object(const file& f, const std::string& name);

}  // namespace gust::h5::detail
