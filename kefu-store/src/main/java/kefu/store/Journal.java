package kefu.store;

import java.util.List;

/** The bounded request journal: only the newest entries are kept (the retention is the store's option). */
public interface Journal {
  void append(JournalEntry entry);

  /** Matching entries, newest first. */
  List<JournalEntry> query(JournalQuery query);
}
