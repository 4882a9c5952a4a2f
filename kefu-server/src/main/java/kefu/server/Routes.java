package kefu.server;

import io.helidon.webserver.http.HttpRouting;
import kefu.protocol.WxError;
import kefu.server.admin.AdminEndpoints;
import kefu.server.agent.AgentEndpoints;
import kefu.server.console.ConsolePages;
import kefu.server.fault.FaultEndpoints;
import kefu.server.http.Endpoints;
import kefu.server.http.Reply;
import kefu.server.limit.Limits;
import kefu.server.media.MediaEndpoints;
import kefu.server.push.PushEndpoints;
import kefu.server.push.PushEvents;
import kefu.server.send.SendEndpoint;
import kefu.server.token.IssuedTokens;
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
                  MediaEndpoints media, UserEndpoints users, AdminEndpoints admin, AgentEndpoints agents,
                  PushEndpoints pushes, IssuedTokens issuedTokens, FaultEndpoints faults, Limits limits) {}

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
    r.get(V1 + "/faults", edge.platform(h.faults()::list));
    r.post(V1 + "/faults", edge.platform(h.faults()::add));
    r.delete(V1 + "/faults", edge.platform(h.faults()::removeAll));
    r.delete(V1 + "/faults/{id}", edge.platform(h.faults()::remove));
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
    r.get(V1 + "/apps/{appid}/pushes", edge.platform(h.pushes()::journal));
    r.get(V1 + "/apps/{appid}/tokens", edge.platform(h.issuedTokens()::list));
    r.get(V1 + "/apps/{appid}/limits", edge.platform(h.limits()::usage));
    r.get(V1 + "/apps/{appid}/agents", edge.platform(h.agents()::list));
    r.get(V1 + "/apps/{appid}/agents/events", (req, res) -> h.agents().events(req, res, edge));
    r.put(V1 + "/apps/{appid}/agents/{account}", edge.platform(h.agents()::put));
    r.post(V1 + "/apps/{appid}/agents/{account}/accept", edge.platform(h.agents()::accept));
    r.post(V1 + "/apps/{appid}/agents/{account}/messages", edge.platform(h.agents()::message));
    r.get(V1 + "/apps/{appid}/queue", edge.platform(h.agents()::queue));
    r.post(V1 + "/apps/{appid}/sessions/{openid}/close", edge.platform(h.agents()::close));
    // the images behind pushes' PicUrl/ThumbUrl: public, like WeChat's CDN
    r.get(PushEvents.MEDIA_PATH + "{mediaId}", edge.platform(h.media()::publicImage));
    // the web consoles: /phone, /agent, /dev and their assets under /console/
    ConsolePages.register(r);

    r.any(edge.platform(call -> Reply.error(WxError.NO_SUCH_PATH,
        call.method().text() + " " + call.request().path().path())));
  }

  static boolean isPlatformPath(String path) {
    return path.startsWith(V1 + "/") && !path.equals(V1 + "/health");
  }
}
