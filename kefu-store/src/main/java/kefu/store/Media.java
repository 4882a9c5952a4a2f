package kefu.store;

import java.util.Optional;

public interface Media {
  void put(MediaItem item);

  Optional<MediaItem> find(String mediaId);
}
