/* Test-only helpers for DlpackImporterTest, compiled by JavaCPP's Builder into libjniTestNatives.so. */
#ifndef FRAMEWIRE_TEST_NATIVES_H_
#define FRAMEWIRE_TEST_NATIVES_H_

#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * size bytes that END right before a PROT_NONE page: reading one byte past them faults. Used to
 * prove that a tensor of an unknown major version is not read past its header. Never freed (tests).
 */
static inline void* fw_guarded_alloc(size_t size) {
    size_t page = (size_t) sysconf(_SC_PAGESIZE);
    size_t span = ((size + page - 1) / page) * page;
    char* base = (char*) mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        return NULL;
    }
    if (mprotect(base + span, page, PROT_NONE) != 0) {
        return NULL;
    }
    return base + span - size;
}

#endif
