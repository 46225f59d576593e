/*
 * marvin.h - Marvin32, the keyed checksum .NET uses for string hashing and
 * Microsoft's identifiable keys use to make a key checkable offline.
 *
 * Written from the algorithm's description (SymCrypt's marvin32.c is the
 * reference; dotnet/runtime's Marvin.cs the form Microsoft's
 * security-utilities carry) and checked against the published test
 * vectors in tests/unit/marvin.c. The seed's low 32 bits start the first
 * state word, its high 32 bits the second.
 */
#ifndef SASGUARD_MARVIN_H
#define SASGUARD_MARVIN_H

#include <stddef.h>
#include <stdint.h>

/* The 64-bit result: the second state word above the first. */
uint64_t marvin_hash64(const unsigned char *data, size_t len, uint64_t seed);

/* The 32-bit result identifiable keys store: the two words xor-ed. */
uint32_t marvin_hash32(const unsigned char *data, size_t len, uint64_t seed);

#endif
