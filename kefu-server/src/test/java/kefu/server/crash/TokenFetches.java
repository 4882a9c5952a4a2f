package kefu.server.crash;

import java.util.Optional;
import java.util.Set;
import kefu.protocol.Json;
import kefu.protocol.token.TokenKind;
import kefu.server.crash.Figures.Figure;

/**
 * Fetches access tokens the way a backend does ({@code /cgi-bin/token}, {@code /cgi-bin/stable_token}), each fetch
 * written to the ledger: answered with a token, refused, or cut off by a kill (it may still have issued one).
 */
final class TokenFetches {
  /** Daily and per-minute quota refusals (a forced stable refresh, per-app quotas): answers, but nothing issued. */
  static final Set<Integer> QUOTA_ERRCODES = Set.of(45009, 45011);

  private final Ledger ledger;
  private final Figures figures;

  TokenFetches(Ledger ledger, Figures figures) {
    this.ledger = ledger;
    this.figures = figures;
  }

  /** A token for {@code app}, or empty when kefu refused or did not answer. */
  Optional<String> fetch(Life life, CrashApp app, TokenKind kind, boolean forced) {
    long sent = ledger.tick();
    Optional<Client.Answer> answer = kind == TokenKind.ORDINARY
        ? life.client.get("/cgi-bin/token?grant_type=client_credential&appid=" + app.appid() + "&secret="
            + app.secret())
        : life.client.post("/cgi-bin/stable_token", Json.write(Json.newObject().put("grant_type", "client_credential")
            .put("appid", app.appid()).put("secret", app.secret()).put("force_refresh", forced)));
    long answered = answer.isPresent() ? ledger.tick() : Ledger.UNANSWERED;
    String value = answer.map(a -> a.json().path("access_token").asText(null)).orElse(null);
    long expiresAtMs = value == null ? 0
        : life.kefuNowMs + answer.get().json().path("expires_in").asLong() * 1000;
    ledger.tokens.add(new Ledger.TokenFetch(app.appid(), kind, forced, life.number, life.kefuNowMs, sent, answered,
        value, expiresAtMs));
    if (answer.isEmpty()) {
      figures.count(Figure.CUT_OFF);
    } else if (value == null) {
      if (!QUOTA_ERRCODES.contains(answer.get().errcode())) {
        figures.anomaly("unexpected answer to a " + kind + " token fetch in life " + life.number + ": "
            + answer.get());
      }
    } else {
      figures.count(kind == TokenKind.ORDINARY ? Figure.TOKENS : Figure.STABLE_TOKENS);
      if (forced) {
        figures.count(Figure.FORCED_REFRESHES);
      }
      life.acknowledged();
    }
    return Optional.ofNullable(value);
  }
}
