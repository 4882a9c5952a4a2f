package kefu.store.sqlite;

/**
 * Tuning of the embedded store.
 *
 * @param journalRetention how many entries the request journal and the push journal each keep; older ones are trimmed
 * @param maxBatch         at most this many work items share one group commit
 */
public record SqliteOptions(int journalRetention, int maxBatch) {
  public static final SqliteOptions DEFAULTS = new SqliteOptions(10_000, 256);

  public SqliteOptions {
    if (journalRetention < 1) {
      throw new IllegalArgumentException("journalRetention must be at least 1, was " + journalRetention);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
    }
  }

  public SqliteOptions withJournalRetention(int journalRetention) {
    return new SqliteOptions(journalRetention, maxBatch);
  }

  public SqliteOptions withMaxBatch(int maxBatch) {
    return new SqliteOptions(journalRetention, maxBatch);
  }
}
