/*
 * version: the one place the proctel version is written, for
 * ptAgentVersion and --version.
 */
#ifndef PT_VERSION_H
#define PT_VERSION_H

#define PROCTEL_VERSION	"0.1.0"

#endif
