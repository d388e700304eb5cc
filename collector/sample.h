/*
 * sample: what one poll of one target produced, in plain C types.  This is
 * the whole interface between the poll engine (which alone knows net-snmp)
 * and the sinks and alerts.  The engine owns every sample and everything it
 * points to until the run's sinks and alerts have returned.
 */
#ifndef PT_SAMPLE_H
#define PT_SAMPLE_H

#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

enum sample_status {
	SAMPLE_OK = 0,		/* the agent answered */
	SAMPLE_TIMEOUT,		/* no answer after every retry, or the deadline */
	SAMPLE_ERROR,		/* an answer that was an error (sa_error says) */
};

enum sample_kind {
	SV_ABSENT = 0,	/* noSuchObject, noSuchInstance, endOfMibView */
	SV_INT,		/* INTEGER / Integer32 */
	SV_UINT,	/* Counter32, Gauge32, TimeTicks, Counter64 */
	SV_STRING,	/* OCTET STRING (any bytes), IpAddress and OID as text */
};

struct sample_value {
	const char	*sv_name;	/* metric or column name */
	enum sample_kind sv_kind;
	uint8_t		 sv_asn_type;	/* the BER tag it came as */
	int64_t		 sv_int;
	uint64_t	 sv_uint;
	const char	*sv_str;	/* not NUL-safe: use sv_len */
	size_t		 sv_len;
};

struct sample_row {
	const char		*sr_index;	/* the instance, "812" or "1.2.3" */
	struct sample_value	*sr_cols;	/* present columns only */
	size_t			 sr_ncols;
};

struct sample_table {
	const char		*st_name;
	struct sample_row	*st_rows;	/* in index order */
	size_t			 st_nrows;
};

struct sample {
	const struct cfg_target	*sa_target;	/* name, host, port, labels */
	uint64_t		 sa_time_ms;	/* wall clock of the run start */
	enum sample_status	 sa_status;
	const char		*sa_error;	/* NULL unless SAMPLE_ERROR/TIMEOUT detail */
	/*
	 * The most times any one request of this poll was sent (the v3
	 * engineID probe included): 1 when every request was answered at
	 * once, retries + 1 for one never answered; 0 for a target the
	 * deadline came before.  net-snmp's own re-sends within one attempt
	 * (a v3 Report of notInTimeWindow) are not attempts.
	 */
	uint32_t		 sa_attempts;
	double			 sa_latency_ms;	/* first send to last reply */
	struct sample_value	*sa_values;	/* one per configured metric answered */
	size_t			 sa_nvalues;
	struct sample_table	*sa_tables;	/* one per configured table */
	size_t			 sa_ntables;
};

#endif
