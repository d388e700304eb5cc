/*
 * version: PROCTEL_VERSION for both programs (ptAgentVersion, sysDescr and
 * each --version).  The one place the version is written is the VERSION
 * file at the top of the tree; the Makefile turns it into
 * $(BUILD)/gen/proctel_version.h (and `make deb` into debian/changelog),
 * so the programs and the packages cannot disagree.
 */
#ifndef PT_VERSION_H
#define PT_VERSION_H

#include "proctel_version.h"

#endif
