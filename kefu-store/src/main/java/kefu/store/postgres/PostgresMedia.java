package kefu.store.postgres;

import java.util.Optional;
import kefu.protocol.media.ImageFormat;
import kefu.store.Media;
import kefu.store.MediaItem;

record PostgresMedia(PostgresTx tx) implements Media {
  @Override
  public void put(MediaItem item) {
    tx.update("INSERT INTO media (media_id, appid, format, bytes, created_at) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT (media_id) DO UPDATE SET appid = excluded.appid, format = excluded.format,"
            + " bytes = excluded.bytes, created_at = excluded.created_at",
        item.mediaId(), item.appid(), item.format().name(), item.bytes(), PostgresTx.millis(item.createdAt()));
  }

  @Override
  public Optional<MediaItem> find(String mediaId) {
    return tx.first("SELECT media_id, appid, format, bytes, created_at FROM media WHERE media_id = ?",
        row -> new MediaItem(row.getString("media_id"), row.getString("appid"),
            ImageFormat.valueOf(row.getString("format")), row.getBytes("bytes"),
            PostgresTx.instant(row, "created_at")),
        mediaId);
  }
}
