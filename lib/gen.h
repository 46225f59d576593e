/*
 * gen.h - code and infrastructure that make a SAS, read as the SAS they
 * would make, so that a risky token is stopped before it exists.
 *
 * The forms (one row each in gen.c's table, its anchor the API's name):
 *   az storage account generate-sas; az storage container|blob|share|
 *     file|queue|table|fs generate-sas (--as-user: user delegation,
 *     --policy-name: a stored access policy)
 *   PowerShell New-AzStorageAccountSASToken, New-AzStorage{Container,
 *     Blob,Share,File,Queue,Table}SASToken
 *   Terraform data "azurerm_storage_account_sas",
 *     data "azurerm_storage_account_blob_container_sas"
 *   Bicep and ARM listAccountSas(...), listServiceSas(...)
 *   Python generate_account_sas, generate_{container,blob,share,file,
 *     queue,table,file_system,directory}_sas
 *   .NET new AccountSasBuilder, new {Blob,Share,Queue,Table,DataLake}
 *     SasBuilder (an initializer, a constructor, or statements on the
 *     variable that holds it)
 *   JavaScript generate{Account,Blob,File,Queue,DataLake}SASQueryParameters,
 *     generateTableSas
 *   Java new AccountSasSignatureValues, new {Blob,Share,Queue,DataLake}
 *     ServiceSasSignatureValues, new TableSasSignatureValues
 *   Go sas.AccountSignatureValues{...}, sas.{Blob,Queue,File,Datalake}
 *     SignatureValues{...}
 *
 * A call is read from its anchor to its closing bracket (a command to its
 * end, line continuations followed), within a window of the new side of
 * the run around the line (GEN_LINES lines each way, what the diff reader
 * holds). A value that is a name is looked up once: its last literal
 * assignment in the window. Expiry as a date, as now plus a duration in
 * any of the forms the APIs' documentation uses, or a date built from
 * numbers; permissions as letters, as flags set true, or All; protocol
 * as each API spells it, with each API's own default when absent. What
 * cannot be read is reported as unknown (struct made). A line longer
 * than the window is not read; a line is read for GEN_CALLS_MAX calls.
 *
 * All text is (ptr, len); nothing needs to end in NUL.
 */
#ifndef SASGUARD_GEN_H
#define SASGUARD_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "diff.h"
#include "rules.h"
#include "sas.h"

#define GEN_LINES 40		/* lines of the run read each way */
#define GEN_WINDOW 16384	/* bytes of them, at most */
#define GEN_SHOWN_MAX 200
#define GEN_CALLS_MAX 8		/* calls read on one line, at most */

/* One SAS that code would make. Borrowed for the callback only. */
struct gen_sas {
	struct sas_token tok;	/* kind, sp, st/se, spr, ss, srt; sig is a
				 * hash of the call, not a secret */
	struct made made;
	char shown[GEN_SHOWN_MAX];	/* the call, redacted */
};

typedef int (*gen_fn)(void *user, const struct gen_sas *g);

/*
 * Calls fn for each call that makes a SAS whose anchor is on the line
 * (a whole added line with its run, as diff.h hands it on). window is
 * the caller's room of GEN_WINDOW bytes. Returns 0 or fn's non-zero
 * return.
 */
int gen_scan(const struct diff_line *line, int64_t now, char *window,
    gen_fn fn, void *user);

/* 1 when text[at..] is the "sas" (any case) of a form's anchor, which
 * text[lo..len) holds whole: the anchor search (anchor.h) asks this of
 * each "sas". */
int gen_anchor_at(const char *text, size_t lo, size_t at, size_t len);

#endif
