/*
 * anchor.h - where a line may hold code that makes a SAS (gen.h) or a
 * storage account key (acctkey.h): the literal search that keeps those
 * readers off every other line.
 *
 * Every anchor of gen.c's table holds "sas" in some case (generate-sas,
 * New-AzStorageAccountSASToken, listAccountSas, BlobSasBuilder,
 * sas.BlobSignatureValues, ...), and every key ends in "==" after 86
 * base64 characters. The search looks for both 32 bytes at a time and
 * asks gen_anchor_at() and acctkey_candidate_at() about each place, so
 * that only a real anchor stops it: most text has none.
 */
#ifndef SASGUARD_ANCHOR_H
#define SASGUARD_ANCHOR_H

#include <stddef.h>

/* The first i in [from, len) where an anchor is, or len. The text
 * before from (down to s[0]) may be read to check an anchor whole. */
size_t anchor_find(const char *s, size_t from, size_t len);

#endif
