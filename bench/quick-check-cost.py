#!/usr/bin/env python3
# The cost of the daemon's start-up check (PRAGMA quick_check) on a file shaped like a Vigil store of a million
# process rows: builds /tmp/qc.db, drops the page cache (root), times a cold and a warm check.
import sqlite3, time, os
p='/tmp/qc.db'
if os.path.exists(p): os.remove(p)
c=sqlite3.connect(p); c.execute('PRAGMA journal_mode=WAL')
c.execute('CREATE TABLE process_events_data(eid INTEGER PRIMARY KEY AUTOINCREMENT, pid, path, cmdline, cwd, time, uid)')
c.execute('CREATE INDEX t ON process_events_data(time)'); c.execute('CREATE INDEX p ON process_events_data(pid)')
c.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<1000000) INSERT INTO process_events_data(pid,path,cmdline,cwd,time,uid) SELECT i, '/usr/bin/program-'||i, '/usr/bin/program-'||i||' --flag value --other '||hex(randomblob(40)), '/home/user/work', 1700000000+i, 1000 FROM n")
c.commit(); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()
os.system('sync; echo 3 > /proc/sys/vm/drop_caches')
c=sqlite3.connect(p)
t=time.time(); r=c.execute('PRAGMA quick_check(1)').fetchone(); cold=time.time()-t
t=time.time(); r=c.execute('PRAGMA quick_check(1)').fetchone(); warm=time.time()-t
print(r, os.path.getsize(p)/1e6, 'MB', 'cold %.2fs warm %.2fs'%(cold,warm), sqlite3.sqlite_version)
