package kefu.store;

/** Filters for {@link Journal#query}; null means "any". */
public record JournalQuery(String appid, String path, Integer errcode, int limit) {
  public JournalQuery {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
  }
}
