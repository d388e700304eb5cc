/*
 * pin: which snapshot each manager's walk is reading, so that a walk that
 * spans a refresh is answered from the snapshot it began on (cache.h keeps
 * that one alive a while).  A manager is a source address and port (each
 * snmpwalk has its own socket); a request continues its walk when its last
 * varbind names what that source was last answered, as every walker's next
 * GETNEXT or GETBULK does.  A fixed table, one entry per hash of the source:
 * a collision only makes a walk move to the newest snapshot early.  No
 * allocation after pin_new(), no I/O.
 */
#ifndef PT_PIN_H
#define PT_PIN_H

#include <stdint.h>
#include <sys/socket.h>

#include "snmp/oid.h"

/* Walks followed at once. */
#define PIN_SLOTS	256

struct pin_table;

/* Returns a new, empty table, or NULL (ENOMEM); free with pin_free(). */
struct pin_table *pin_new(void);
void	pin_free(struct pin_table *t);

/* A hash of o, to compare a request's OID with an answer's. */
uint64_t pin_oid_hash(const struct oid *o);

/*
 * The snapshot generation src's walk is on, when its request's last OID
 * hashes to cont and src was last answered up to that very OID; else 0.
 */
uint64_t pin_find(const struct pin_table *t, const struct sockaddr *src,
	    uint64_t cont);

/* src was answered from generation gen, its last OID hashing to last. */
void	pin_note(struct pin_table *t, const struct sockaddr *src, uint64_t gen,
	    uint64_t last);

#endif
