#include "apps/build_identity.hpp"

#include <elf.h>
#include <link.h>

#include <cstdio>
#include <cstring>

namespace gust::cli {

namespace {

// The GNU build ID among the notes of the first object dl_iterate_phdr
// names, the program itself.
int read_build_id(dl_phdr_info* info, std::size_t, void* data) {
    auto& out = *static_cast<std::string*>(data);
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        if (ph.p_type != PT_NOTE) continue;
        const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
        const char* end = p + ph.p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            ElfW(Nhdr) note;
            std::memcpy(&note, p, sizeof note);
            const char* name = p + sizeof note;
            const char* desc = name + ((note.n_namesz + 3) & ~3u);
            if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
                desc + note.n_descsz <= end) {
                for (std::size_t k = 0; k < note.n_descsz; ++k) {
                    char hex[3];
                    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(desc[k]));
                    out += hex;
                }
                return 1;
            }
            p = desc + ((note.n_descsz + 3) & ~3u);
        }
    }
    return 1;  // the program only
}

}  // namespace

std::string build_identity() {
    std::string id;
    dl_iterate_phdr(read_build_id, &id);
    return std::string("gust ") + GUST_VERSION + (id.empty() ? std::string(" (no build ID)") : ", build ID " + id);
}

}  // namespace gust::cli
