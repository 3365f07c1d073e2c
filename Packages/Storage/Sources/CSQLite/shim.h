#ifndef GATEHOUSE_CSQLITE_SHIM_H
#define GATEHOUSE_CSQLITE_SHIM_H
#include <sqlite3.h>
#if SQLITE_VERSION_NUMBER < 3035000
#error "Gatehouse needs SQLite 3.35 or newer (apt-get install libsqlite3-dev)"
#endif
/* SQLITE_TRANSIENT is a cast macro Swift cannot import. */
static inline sqlite3_destructor_type gatehouse_sqlite_transient(void) { return SQLITE_TRANSIENT; }
#endif
