package kefu.sdk.token;

import org.junit.jupiter.api.BeforeEach;

class InMemoryTokenStoreTest extends TokenStoreContract {
  private TokenStore store;

  @BeforeEach
  void fresh() {
    store = new InMemoryTokenStore();
  }

  @Override
  TokenStore store() {
    return store;
  }
}
