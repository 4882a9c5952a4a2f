package kefu.protocol.push;

import static org.assertj.core.api.Assertions.assertThat;

import cn.binarywang.wx.miniapp.bean.WxMaMessage;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import me.chanjar.weixin.common.util.crypto.SHA1;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The stored form round-trips, and WxJava's {@code WxMaMessage} reads every body {@link PushCodec} makes, plain,
 * secure and compatible, in XML and JSON (spec §6.3, §6.4).
 */
class PushCodecProperties {
  @Property(tries = 500)
  void reading_the_stored_form_gives_the_event_back(@ForAll("events") PushEvent event) {
    assertThat(PushCodec.fromJson(PushCodec.toJson(event))).contains(event);
  }

  @Property(tries = 300)
  void reading_anything_as_a_stored_event_never_throws(@ForAll("noise") String json) {
    assertThat(PushCodec.fromJson(json)).isNotNull();
  }

  @Property(tries = 200)
  void wxjava_reads_the_xml_plaintext(@ForAll("wxjavaEvents") PushEvent event) {
    assertSame(event, WxMaMessage.fromXml(PushCodec.plaintext(event, PushFormat.XML)));
  }

  @Property(tries = 200)
  void wxjava_reads_the_json_plaintext(@ForAll("wxjavaEvents") PushEvent event) {
    assertSame(event, WxMaMessage.fromJson(PushCodec.plaintext(event, PushFormat.JSON)));
  }

  @Property(tries = 150)
  void wxjava_verifies_and_decrypts_secure_and_compatible_xml_pushes(
      @ForAll("wxjavaEvents") PushEvent event, @ForAll("encrypting") PushMode mode, @ForAll("crypto") Crypto c) {
    PushRequest r = PushCodec.request(event, c.settings(PushFormat.XML, mode), c.appid(), c.timestamp(), c.nonce(),
        c.random());

    assertThat(r.query()).contains("&msg_signature=" + r.msgSignature());
    assertSame(event, WxMaMessage.fromEncryptedXml(r.body(), c.config(), c.timestamp(), c.nonce(), r.msgSignature()));
    if (mode == PushMode.COMPAT) {
      WxMaMessage both = WxMaMessage.fromXml(r.body());
      assertSame(event, both);
      assertThat(both.getEncrypt()).isEqualTo(r.encrypt());
    }
  }

  @Property(tries = 150)
  void wxjava_decrypts_secure_and_compatible_json_pushes_and_agrees_on_the_signatures(
      @ForAll("wxjavaEvents") PushEvent event, @ForAll("encrypting") PushMode mode, @ForAll("crypto") Crypto c) {
    PushRequest r = PushCodec.request(event, c.settings(PushFormat.JSON, mode), c.appid(), c.timestamp(), c.nonce(),
        c.random());

    assertThat(r.msgSignature()).isEqualTo(SHA1.gen(c.token(), c.timestamp(), c.nonce(), r.encrypt()));
    assertThat(r.signature()).isEqualTo(SHA1.gen(c.token(), c.timestamp(), c.nonce()));
    assertSame(event, WxMaMessage.fromEncryptedJson(r.body(), c.config()));
    if (mode == PushMode.COMPAT) {
      assertSame(event, WxMaMessage.fromJson(r.body()));
    }
  }

  private static void assertSame(PushEvent event, WxMaMessage m) {
    assertThat(m.getToUser()).isEqualTo(event.toUser());
    assertThat(m.getFromUser()).isEqualTo(event.fromUser());
    assertThat(m.getCreateTime()).isEqualTo((int) event.createTime());
    assertThat(m.getMsgType()).isEqualTo(event.msgType());
    if (event instanceof PushEvent.UserEnteredSession e) {
      assertThat(m.getEvent()).isEqualTo("user_enter_tempsession");
      assertThat(m.getSessionFrom()).isEqualTo(e.sessionFrom());
      assertThat(m.getMsgId()).isNull();
    } else if (event instanceof PushEvent.Text t) {
      assertThat(m.getContent()).isEqualTo(t.content());
      assertThat(m.getMsgId()).isEqualTo(t.msgId());
    } else if (event instanceof PushEvent.Image i) {
      assertThat(m.getPicUrl()).isEqualTo(i.picUrl());
      assertThat(m.getMediaId()).isEqualTo(i.mediaId());
      assertThat(m.getMsgId()).isEqualTo(i.msgId());
    } else if (event instanceof PushEvent.MiniProgramPage p) {
      assertThat(m.getMsgId()).isEqualTo(p.msgId());
      assertThat(m.getTitle()).isEqualTo(p.title());
      assertThat(m.getAppId()).isEqualTo(p.appId());
      assertThat(m.getPagePath()).isEqualTo(p.pagePath());
      assertThat(m.getThumbUrl()).isEqualTo(p.thumbUrl());
      assertThat(m.getThumbMediaId()).isEqualTo(p.thumbMediaId());
    }
  }

  /** One app's crypto settings and one push's timestamp, nonce and random prefix. */
  record Crypto(String token, String key, String appid, String timestamp, String nonce, String random) {
    PushSettings settings(PushFormat format, PushMode mode) {
      return new PushSettings("https://dev.example/push", token, key, format, mode, true);
    }

    WxMaDefaultConfigImpl config() {
      var config = new WxMaDefaultConfigImpl();
      config.setToken(token);
      config.setAesKey(key);
      config.setAppid(appid);
      return config;
    }
  }

  @Provide
  Arbitrary<Crypto> crypto() {
    return Combinators.combine(PushArbitraries.tokens(), PushArbitraries.encodingAesKeys(),
            PushArbitraries.appids(), Arbitraries.longs().between(1_000_000_000L, 9_999_999_999L).map(String::valueOf),
            Arbitraries.longs().between(100_000_000L, 9_999_999_999L).map(String::valueOf),
            PushArbitraries.randomPrefixes())
        .as(Crypto::new);
  }

  @Provide
  Arbitrary<PushMode> encrypting() {
    return Arbitraries.of(PushMode.SECURE, PushMode.COMPAT);
  }

  @Provide
  Arbitrary<PushEvent> events() {
    return PushArbitraries.events();
  }

  @Provide
  Arbitrary<PushEvent> wxjavaEvents() {
    return PushArbitraries.wxjavaEvents();
  }

  /** Random text, and stored forms with a character overwritten or cut short. */
  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> damaged = PushArbitraries.events().map(PushCodec::toJson).flatMap(json ->
        Arbitraries.integers().between(0, json.length() - 1).flatMap(at -> Arbitraries.of(
            json.substring(0, at), json.substring(0, at) + "x" + json.substring(at + 1),
            json.substring(0, at) + "\"" + json.substring(at + 1))));
    return Arbitraries.oneOf(PushArbitraries.unicode(), damaged);
  }
}
