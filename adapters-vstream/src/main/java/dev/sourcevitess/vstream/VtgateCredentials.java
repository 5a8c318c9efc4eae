package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.Secret;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The user's credentials on every call, in both forms VTGates read: PlanetScale reads
 * {@code authorization: Basic base64(user:password)}, while a self-hosted VTGate with
 * {@code --grpc_auth_mode static} reads the {@code username} and {@code password} keys (as
 * Vitess's own Java client sends them) and refuses a call without them. Each ignores the other's.
 */
final class VtgateCredentials extends CallCredentials {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> USERNAME = Metadata.Key.of("username", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> PASSWORD = Metadata.Key.of("password", Metadata.ASCII_STRING_MARSHALLER);

  private final Metadata headers = new Metadata();

  VtgateCredentials(String username, Secret password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    headers.put(AUTHORIZATION, "Basic " + token(username, password));
    // gRPC metadata values are printable ASCII; a user or password beyond it reaches VTGate only
    // in the Basic form (static auth cannot take it over gRPC at all)
    if (printableAscii(username) && printableAscii(password.value())) {
      headers.put(USERNAME, username);
      headers.put(PASSWORD, password.value());
    }
  }

  private static boolean printableAscii(String text) {
    return text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
  }

  /** The base64 part of the header, which error messages must never show either. */
  static String token(String username, Secret password) {
    return Base64.getEncoder()
        .encodeToString((username + ":" + password.value()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    Metadata copy = new Metadata();
    copy.merge(headers);
    applier.apply(copy);
  }

  @Override
  public String toString() {
    return "VtgateCredentials[******]";
  }
}
