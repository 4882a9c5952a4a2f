package kefu.sdk.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import kefu.protocol.push.DeveloperReply;
import kefu.protocol.push.PushEvent;
import kefu.protocol.push.PushFormat;
import kefu.protocol.push.PushMode;
import kefu.sdk.push.Pushes.Push;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every push kefu's codec makes, in every format and mode, reaches the handler intact; nothing makes it throw. */
class PushReceiverProperties {
  private static PushReceiver receiver(PushMode mode, PushHandler handler) {
    return PushReceiver.builder().token(Pushes.TOKEN).encodingAesKey(Pushes.KEY).appid(Pushes.APPID).mode(mode)
        .handler(handler).clock(Clock.fixed(Instant.ofEpochSecond(1714112500L), ZoneOffset.UTC))
        .random(new SplittableRandom(1)).build();
  }

  @Property(tries = 300)
  void every_push_reaches_the_handler_as_the_event_that_was_sent(@ForAll("events") PushEvent event,
      @ForAll PushFormat format, @ForAll PushMode mode) {
    RecordingHandler handler = RecordingHandler.success();
    Push push = Pushes.of(event, format, mode);

    PushReply reply = receiver(mode, handler).handle(push.query(), push.body());

    assertThat(reply).isEqualTo(new PushReply.Answered(Inbound.of(event), Reaction.success(), PushReply.TEXT_PLAIN,
        "success", java.util.Optional.empty()));
  }

  @Property(tries = 200)
  void a_transfer_to_a_message_is_what_kefu_reads_as_a_transfer(@ForAll("messages") PushEvent event,
      @ForAll PushFormat format, @ForAll PushMode mode, @ForAll("accounts") String account) {
    Reaction transfer = account.isEmpty() ? Reaction.transferToAgents() : Reaction.transferToAgents(account);
    Push push = Pushes.of(event, format, mode);

    PushReply reply = receiver(mode, in -> transfer).handle(push.query(), push.body());

    assertThat(DeveloperReply.parse(reply.bodyBytes(), Pushes.settings(format, mode), Pushes.APPID, false))
        .isEqualTo(new DeveloperReply.Transfer(account.isEmpty() ? null : account));
  }

  @Property(tries = 300)
  void no_body_or_query_makes_the_receiver_throw(@ForAll("noise") String body, @ForAll PushMode mode,
      @ForAll("events") PushEvent event) {
    Push push = Pushes.of(event, PushFormat.JSON, mode);

    PushReply reply = receiver(mode, in -> Reaction.success()).handle(push.query(),
        body.getBytes(StandardCharsets.UTF_8));

    assertThat(reply.status()).isIn(200, 400, 403);
  }

  /** Text XML 1.0 can carry, with the characters that break codecs. */
  static Arbitrary<String> text() {
    return Arbitraries.oneOf(
            Arbitraries.strings().alpha().numeric().ofMaxLength(8),
            Arbitraries.strings().withCharRange('\u4e00', '\u9fa5').ofMinLength(1).ofMaxLength(4),
            Arbitraries.of("]]>", "\r\n", "\r", " ", "\t", "&", "<b>", "\"", "😀", "success", "<![CDATA["))
        .list().ofMaxSize(6).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<PushEvent> events() {
    Arbitrary<Long> times = Arbitraries.longs().between(0, 4_000_000_000L);
    Arbitrary<PushEvent> enter = Combinators.combine(times, text())
        .as((t, from) -> new PushEvent.UserEnteredSession(Pushes.ORIGINAL_ID, Pushes.ALICE, t, from));
    return Arbitraries.oneOf(enter, messages());
  }

  @Provide
  Arbitrary<PushEvent> messages() {
    Arbitrary<Long> times = Arbitraries.longs().between(0, 4_000_000_000L);
    Arbitrary<Long> ids = Arbitraries.longs().between(1, Long.MAX_VALUE);
    Arbitrary<PushEvent> texts = Combinators.combine(times, text(), ids)
        .as((t, c, id) -> new PushEvent.Text(Pushes.ORIGINAL_ID, Pushes.ALICE, t, c, id));
    Arbitrary<PushEvent> images = Combinators.combine(times, text(), text(), ids)
        .as((t, url, media, id) -> new PushEvent.Image(Pushes.ORIGINAL_ID, Pushes.ALICE, t, url, media, id));
    Arbitrary<PushEvent> cards = Combinators.combine(times, text(), text(), text(), ids)
        .as((t, title, path, media, id) -> new PushEvent.MiniProgramPage(Pushes.ORIGINAL_ID, Pushes.ALICE, t, title,
            Pushes.APPID, path, "http://127.0.0.1/kefu/media/" + media, media, id));
    return Arbitraries.oneOf(texts, images, cards);
  }

  @Provide
  Arbitrary<String> accounts() {
    return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.of("kf001@test", "a]]>b", "小王"));
  }

  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> damaged = events().map(e -> Pushes.of(e, PushFormat.XML, PushMode.COMPAT).text())
        .flatMap(body -> Arbitraries.integers().between(0, body.length() - 1).flatMap(at -> Arbitraries.of(
            body.substring(0, at), body.substring(0, at) + "x" + body.substring(at + 1))));
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), text(), damaged);
  }
}
