package org.secondgrid.settlement.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.secondgrid.settlement.chain.SettleCall.ChainTrade;

class SettleCallTest {

    static final String A = "0x00000000000000000000000000000000000000aa";
    static final String B = "0x00000000000000000000000000000000000000bb";

    @Test
    void packsEachRecordIntoOneWordWithPartyIndices() {
        SettleCall.Packed p = SettleCall.pack(List.of(
                new ChainTrade(A, B, SettleCall.ZERO_ADDRESS, 20, 0, 800, 1_200, 640),
                new ChainTrade(B, A, B, 47, 1, (1L << 48) - 1, 5, 0)));
        assertThat(p.parties()).containsExactly(A, B, SettleCall.ZERO_ADDRESS);
        BigInteger w0 = p.words().get(0);
        assertThat(w0.shiftRight(216).intValue()).isZero();
        assertThat(w0.shiftRight(192).and(BigInteger.valueOf(0xFFFFFF)).intValue()).isEqualTo(1);
        assertThat(w0.shiftRight(168).and(BigInteger.valueOf(0xFFFFFF)).intValue()).isEqualTo(2);
        assertThat(w0.shiftRight(152).and(BigInteger.valueOf(0xFFFF)).intValue()).isEqualTo(20);
        assertThat(w0.shiftRight(96).and(BigInteger.valueOf((1L << 48) - 1)).longValue()).isEqualTo(800);
        assertThat(w0.shiftRight(48).and(BigInteger.valueOf((1L << 48) - 1)).longValue()).isEqualTo(1_200);
        assertThat(w0.and(BigInteger.valueOf((1L << 48) - 1)).longValue()).isEqualTo(640);
        BigInteger w1 = p.words().get(1);
        assertThat(w1.shiftRight(144).and(BigInteger.valueOf(0xFF)).intValue()).isEqualTo(1);
        assertThat(w1.shiftRight(96).and(BigInteger.valueOf((1L << 48) - 1)).longValue()).isEqualTo((1L << 48) - 1);
        assertThat(w1.bitLength()).isLessThanOrEqualTo(240);
    }

    @Test
    void unpackIsTheInverseOfPack() {
        List<ChainTrade> trades = List.of(
                new ChainTrade(A, B, SettleCall.ZERO_ADDRESS, 20, 0, 800, 1_200, 640),
                new ChainTrade(B, A, B, 47, 1, (1L << 48) - 1, 5, 0),
                new ChainTrade(A, A, B, 65_535, 0, 0, (1L << 48) - 1, (1L << 48) - 1));
        SettleCall.Packed p = SettleCall.pack(trades);
        assertThat(SettleCall.unpack(p.parties(), p.words())).containsExactlyElementsOf(trades);
    }

    @Test
    void fieldsOutOfRangeAreRejectedWithTheirName() {
        assertThatThrownBy(() -> new ChainTrade(A, B, null, 70_000, 0, 1, 1, 1)).hasMessageContaining("slot").hasMessageContaining("70000");
        assertThatThrownBy(() -> new ChainTrade(A, B, null, 1, 0, 1L << 48, 1, 1)).hasMessageContaining("wh");
        assertThatThrownBy(() -> new ChainTrade(A, B, null, 1, 0, 1, -1, 1)).hasMessageContaining("amount");
    }

    @Test
    void encodesTheSettleSelector() {
        String data = SettleCall.encode("0x" + "11".repeat(32), 20_427, List.of(new ChainTrade(A, B, null, 1, 0, 1, 1, 0)));
        String selector = org.web3j.crypto.Hash.sha3String("settle(bytes32,uint32,address[],uint256[])").substring(0, 10);
        assertThat(data).startsWith(selector);
    }

    @Test
    void chainConfigNeverPrintsTheKeyAndNeedsOneOffTheLocalChain() {
        ChainConfig c = ChainConfig.fromEnv(java.util.Map.of("ETH_CHAIN_ID", "73799",
                "SETTLEMENT_OPERATOR_KEY", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"));
        assertThat(c.toString()).doesNotContain("59c6995e").contains("***");
        assertThatThrownBy(() -> ChainConfig.fromEnv(java.util.Map.of("ETH_CHAIN_ID", "73799")).operator())
                .hasMessageContaining("SETTLEMENT_OPERATOR_KEY");
        assertThatThrownBy(() -> ChainConfig.fromEnv(java.util.Map.of("ETH_CHAIN_ID", "x"))).hasMessageContaining("ETH_CHAIN_ID")
                .hasMessageContaining("'x'");
        assertThat(ChainConfig.fromEnv(java.util.Map.of()).operator().getAddress()).isEqualToIgnoringCase(DevAccounts.get(0).getAddress());
    }
}
