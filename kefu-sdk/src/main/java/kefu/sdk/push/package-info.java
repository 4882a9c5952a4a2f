/**
 * Receiving message pushes on the developer's server (spec §6, §7), with any HTTP server.
 *
 * <pre>{@code
 * PushReceiver receiver = PushReceiver.builder()
 *     .token("kefutoken").encodingAesKey("…43 characters…").appid("wx…")
 *     .mode(PushMode.SECURE)                       // as configured in WeChat; the format is sniffed unless given
 *     .deduplicator(new RedisDeduplicator(redis, RedisDeduplicator.DEFAULT_PREFIX), Duration.ofMinutes(10))
 *     .handler(inbound -> inbound instanceof Inbound.TextMessage
 *             && ((Inbound.TextMessage) inbound).content().equals("人工")
 *         ? Reaction.transferToAgents() : Reaction.success())
 *     .build();
 *
 * // in the HTTP handler of the push URL, with the decoded query parameters:
 * PushReply reply = "GET".equals(method) ? receiver.urlCheck(query) : receiver.handle(query, body);
 * respond(reply.status(), reply.contentType(), reply.bodyBytes());
 * }</pre>
 *
 * {@link kefu.sdk.push.PushReply} tells what happened: {@code Answered} (the handler saw it), {@code Duplicate},
 * {@code Echo} (URL check) or {@code Rejected} with a {@link kefu.sdk.push.Rejection} and a detail for logs. The wire
 * work (signatures, AES, XML and JSON) is {@code kefu.protocol.push}'s.
 */
package kefu.sdk.push;
