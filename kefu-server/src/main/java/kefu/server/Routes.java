package kefu.server;

import io.helidon.webserver.http.HttpRouting;
import kefu.protocol.WxError;
import kefu.server.admin.AdminEndpoints;
import kefu.server.http.Endpoints;
import kefu.server.http.Reply;
import kefu.server.media.MediaEndpoints;
import kefu.server.send.SendEndpoint;
import kefu.server.token.TokenEndpoints;
import kefu.server.typing.TypingEndpoint;
import kefu.server.user.UserEndpoints;

/**
 * Every route kefu serves, WeChat API and platform API alike, in one table. WeChat endpoints take any method and
 * answer 43002 themselves where WeChat requires POST; an unknown path answers a JSON 404.
 */
final class Routes {
  static final String V1 = "/kefu/v1";

  private Routes() {}

  record Handlers(Endpoints edge, TokenEndpoints tokens, SendEndpoint send, TypingEndpoint typing,
                  MediaEndpoints media, UserEndpoints users, AdminEndpoints admin) {}

  static void register(HttpRouting.Builder r, Handlers h) {
    Endpoints edge = h.edge();
    // WeChat API (spec §2–§5)
    r.any("/cgi-bin/token", edge.wechat(h.tokens()::token));
    r.any("/cgi-bin/stable_token", edge.wechat(h.tokens()::stableToken));
    r.any("/cgi-bin/message/custom/send", edge.wechat(h.send()::send));
    r.any("/cgi-bin/message/custom/typing", edge.wechat(h.typing()::typing));
    r.any("/cgi-bin/message/custom/business/typing", edge.wechat(h.typing()::typing));
    r.any("/cgi-bin/media/upload", edge.wechat(h.media()::upload));
    r.any("/cgi-bin/media/get", edge.wechat(h.media()::get));

    // platform API
    r.get(V1 + "/health", edge.platform(h.admin()::health));
    r.get(V1 + "/clock", edge.platform(h.admin()::clock));
    r.post(V1 + "/clock", edge.platform(h.admin()::setClock));
    r.post(V1 + "/reset", edge.platform(h.admin()::reset));
    r.get(V1 + "/journal", edge.platform(h.admin()::journal));
    r.get(V1 + "/apps", edge.platform(h.admin()::apps));
    r.get(V1 + "/apps/{appid}", edge.platform(h.admin()::app));
    r.put(V1 + "/apps/{appid}", edge.platform(h.admin()::putApp));
    r.get(V1 + "/apps/{appid}/users", edge.platform(h.users()::list));
    r.post(V1 + "/apps/{appid}/users", edge.platform(h.users()::create));
    r.post(V1 + "/apps/{appid}/users/{openid}/enter", edge.platform(h.users()::enter));
    r.post(V1 + "/apps/{appid}/users/{openid}/messages", edge.platform(h.users()::message));
    r.get(V1 + "/apps/{appid}/users/{openid}/conversation", edge.platform(h.users()::conversation));
    r.get(V1 + "/apps/{appid}/users/{openid}/window", edge.platform(h.users()::window));
    r.get(V1 + "/apps/{appid}/users/{openid}/events", (req, res) -> h.users().events(req, res, edge));

    r.any(edge.platform(call -> Reply.error(WxError.NO_SUCH_PATH,
        call.method().text() + " " + call.request().path().path())));
  }

  static boolean isPlatformPath(String path) {
    return path.startsWith(V1 + "/") && !path.equals(V1 + "/health");
  }
}
