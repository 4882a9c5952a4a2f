package kefu.sdk.push;

/**
 * The developer's decision about one push. {@link PushReceiver} calls it once per push (with a
 * {@link Deduplicator}, once per MsgId or event), possibly from many threads at once. An exception is a bug: the
 * receiver lets it propagate, and a de-duplication mark made for the push is forgotten so that WeChat's retry is
 * handled.
 */
@FunctionalInterface
public interface PushHandler {
  Reaction react(Inbound inbound);
}
