// fuzz-sources: collector/http.c collector/spool.c config/output_conf.c config/node.c config/yaml.c config/oid_names.c snmp/contract.c snmp/oid.c lib/clock.c lib/log.c lib/strnum.c lib/addr.c
// fuzz-libs: -lcurl -lyaml
/*
 * fuzz_remote: libFuzzer target for what the remote sinks read from
 * outside: a spool file's header (spool_hdr_decode), a store's
 * Retry-After value (http_retry_after_parse) and its answer body
 * (http_msg_clean), and a URL from the config or the command line
 * (cfg_url_check, http_url_redact).  Beyond "no crash" it checks
 * properties: a decoded header encodes back to the same bytes, a wait is
 * never negative nor over a day, a cleaned message is printable ASCII
 * without runs of spaces, and a good URL, redacted, never keeps user info in its
 * authority, nor a query.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/http.h"
#include "collector/spool.h"
#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[SPOOL_HEADER_LEN];
	char msg[64], url[512], shown[512];
	struct spool_hdr h;
	const char *why, *auth;
	int64_t ms;
	size_t i, n;

	if (spool_hdr_decode(data, size, &h, &why) == 0) {
		spool_hdr_encode(&h, again);
		if (memcmp(again, data, SPOOL_HEADER_LEN) != 0)
			abort();
	}
	if (http_retry_after_parse((const char *)data, size, 1700000000,
	    &ms) == 0 && (ms < 0 || ms > 86400LL * 1000))
		abort();
	http_msg_clean(msg, sizeof(msg), (const char *)data, size);
	for (i = 0; msg[i] != '\0'; i++)
		if (msg[i] < 0x21 && !(msg[i] == ' ' && i > 0 &&
		    msg[i - 1] != ' ' && msg[i + 1] != '\0'))
			abort();
	n = size < sizeof(url) - 1 ? size : sizeof(url) - 1;
	memcpy(url, data, n);
	url[n] = '\0';
	/* Only URLs that pass the check are ever shown. */
	if (cfg_url_check(url) != NULL)
		return 0;
	http_url_redact(url, shown, sizeof(shown));
	if (strchr(shown, '?') != NULL || strchr(shown, '#') != NULL)
		abort();
	/* No user info: no '@' in the authority, before the path. */
	auth = strstr(shown, "://");
	if (auth == NULL || memchr(auth + 3, '@', strcspn(auth + 3, "/")) !=
	    NULL)
		abort();
	return 0;
}
