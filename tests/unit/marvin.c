/*
 * Marvin32 against the vectors Microsoft's security-utilities test with
 * (src/Tests.Microsoft.Security.Utilities.Core/MarvinShared.cs, which took
 * them from skeeto/marvin32): three seeds, inputs of 0 to 7 bytes, the
 * 64-bit result.
 */
#include <stdint.h>

#include "marvin.h"
#include "tap.h"

#define SEED0 0x004fb61a001bdbccULL
#define SEED1 0x804fb61a001bdbccULL
#define SEED2 0x804fb61a801bdbccULL

static const struct {
	uint64_t seed;
	const char *text;
	size_t len;
	uint64_t want;
} vectors[] = {
	{ SEED0, "", 0, 0x30ed35c100cd3c7dULL },
	{ SEED0, "\xaf", 1, 0x48e73fc77d75ddc1ULL },
	{ SEED0, "\xe7\x0f", 2, 0xb5f6e1fc485dbff8ULL },
	{ SEED0, "\x37\xf4\x95", 3, 0xf0b07c789b8cf7e8ULL },
	{ SEED0, "\x86\x42\xdc\x59", 4, 0x7008f2e87e9cf556ULL },
	{ SEED0, "\x15\x3f\xb7\x98\x26", 5, 0xe6c08c6da2afa997ULL },
	{ SEED0, "\x09\x32\xe6\x24\x6c\x47", 6, 0x6f04bf1a5ea24060ULL },
	{ SEED0, "\xab\x42\x7e\xa8\xd1\x0f\xc7", 7, 0xe11847e4f0678c41ULL },
	{ SEED1, "", 0, 0x10a9d5d3996fd65dULL },
	{ SEED1, "\xaf", 1, 0x68201f91960ebf91ULL },
	{ SEED1, "\xe7\x0f", 2, 0x64b581631f6ab378ULL },
	{ SEED1, "\x37\xf4\x95", 3, 0xe1f2dfa6e5131408ULL },
	{ SEED1, "\x86\x42\xdc\x59", 4, 0x36289d9654fb49f6ULL },
	{ SEED1, "\x15\x3f\xb7\x98\x26", 5, 0x0a06114b13464dbdULL },
	{ SEED1, "\x09\x32\xe6\x24\x6c\x47", 6, 0xd6dd5e40ad1bc2edULL },
	{ SEED1, "\xab\x42\x7e\xa8\xd1\x0f\xc7", 7, 0xe203987dba252fb3ULL },
	{ SEED2, "\x00", 1, 0xa37fb0da2ecae06cULL },
	{ SEED2, "\xff", 1, 0xfecef370701ae054ULL },
	{ SEED2, "\x00\xff", 2, 0xa638e75700048880ULL },
	{ SEED2, "\xff\x00", 2, 0xbdfb46d969730e2aULL },
	{ SEED2, "\xff\x00\xff", 3, 0x9d8577c0fe0d30bfULL },
	{ SEED2, "\x00\xff\x00", 3, 0x4f9fbdde15099497ULL },
	{ SEED2, "\x00\xff\x00\xff", 4, 0x24eaa279d9a529caULL },
	{ SEED2, "\xff\x00\xff\x00", 4, 0xd3bec7726b057943ULL },
	{ SEED2, "\xff\x00\xff\x00\xff", 5, 0x920b62bbca3e0b72ULL },
	{ SEED2, "\x00\xff\x00\xff\x00", 5, 0x1d7ddf9dfdf3c1bfULL },
	{ SEED2, "\x00\xff\x00\xff\x00\xff", 6, 0xec21276a17e821a5ULL },
	{ SEED2, "\xff\x00\xff\x00\xff\x00", 6, 0x6911a53ca8c12254ULL },
	{ SEED2, "\xff\x00\xff\x00\xff\x00\xff", 7, 0xfdfd187b1d3ce784ULL },
	{ SEED2, "\x00\xff\x00\xff\x00\xff\x00", 7, 0x71876f2efb1b0ee8ULL },
};

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		uint64_t got = marvin_hash64((const unsigned char *)
		    vectors[i].text, vectors[i].len, vectors[i].seed);

		ok(got == vectors[i].want, "vector %zu (%zu bytes): %016llx",
		    i, vectors[i].len, (unsigned long long)got);
	}
	ok(marvin_hash32((const unsigned char *)"\xaf", 1, SEED0) ==
	    (0x48e73fc7U ^ 0x7d75ddc1U), "the 32-bit result is the halves "
	    "xor-ed");
	return tap_done();
}
