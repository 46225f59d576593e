/*
 * report_doc.h - the JSON and SARIF documents of report.h, written as
 * the scan goes (head, one entry per finding, tail). Internal to the
 * report; the schemas are described in README.md.
 */
#ifndef SASGUARD_REPORT_DOC_H
#define SASGUARD_REPORT_DOC_H

#include <stdint.h>

#include "report.h"

/* The SARIF security-severity of each rule (CVSS-like, 0.0 to 10.0). */
const char *doc_rule_severity(enum rule_id id);

void doc_head(struct report *r, const char *version, int64_t now);
void doc_finding(struct report *r, const struct finding *f);
void doc_tail(struct report *r, int exit_status);

#endif
