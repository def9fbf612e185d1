package org.secondgrid.settlement.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.utils.Numeric;

/**
 * Encoding of {@code Settlement.settle(settlementId, day, parties[], trades[])}: each trade record is one packed
 * word, {@code seller idx 24 | buyer idx 24 | carrier idx 24 | slot 16 | kind 8 | wh 48 | amount 48 | fee 48},
 * indices into the batch's list of distinct addresses (address(0) as carrier = grid delivery).
 */
public final class SettleCall {

    public static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
    private static final long MAX48 = (1L << 48) - 1;
    private static final int MAX24 = (1 << 24) - 1;

    private SettleCall() {
    }

    /** One trade record as the contract takes it; carrier {@link #ZERO_ADDRESS} = grid; amounts in coin units (0.01 JPY). */
    public record ChainTrade(String seller, String buyer, String carrier, int slot, int kind, long wh, long amount, long fee) {
        public ChainTrade {
            if (slot < 0 || slot > 0xFFFF) {
                throw new IllegalArgumentException("slot must be 0..65535, was " + slot);
            }
            if (kind < 0 || kind > 0xFF) {
                throw new IllegalArgumentException("kind must be 0..255, was " + kind);
            }
            check("wh", wh);
            check("amount", amount);
            check("fee", fee);
        }

        private static void check(String field, long v) {
            if (v < 0 || v > MAX48) {
                throw new IllegalArgumentException(field + " must be 0.." + MAX48 + ", was " + v);
            }
        }
    }

    /** The batch's distinct addresses and its packed trade words. */
    public record Packed(List<String> parties, List<BigInteger> words) {
    }

    public static Packed pack(List<ChainTrade> trades) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<BigInteger> words = new ArrayList<>(trades.size());
        for (ChainTrade t : trades) {
            long s = idx(index, t.seller());
            long b = idx(index, t.buyer());
            long c = idx(index, t.carrier() == null ? ZERO_ADDRESS : t.carrier());
            BigInteger w = BigInteger.valueOf(s).shiftLeft(216)
                    .or(BigInteger.valueOf(b).shiftLeft(192))
                    .or(BigInteger.valueOf(c).shiftLeft(168))
                    .or(BigInteger.valueOf(t.slot()).shiftLeft(152))
                    .or(BigInteger.valueOf(t.kind()).shiftLeft(144))
                    .or(BigInteger.valueOf(t.wh()).shiftLeft(96))
                    .or(BigInteger.valueOf(t.amount()).shiftLeft(48))
                    .or(BigInteger.valueOf(t.fee()));
            words.add(w);
        }
        return new Packed(List.copyOf(index.keySet()), words);
    }

    private static int idx(Map<String, Integer> index, String address) {
        int i = index.computeIfAbsent(address.toLowerCase(), k -> index.size());
        if (i > MAX24) {
            throw new IllegalArgumentException("a batch may name at most " + (MAX24 + 1) + " distinct accounts");
        }
        return i;
    }

    /**
     * The inverse of {@link #pack}: the records of a batch from its address list and packed words, as the contract's
     * {@code Settled} event carries them (addresses lower case; carrier {@link #ZERO_ADDRESS} = grid).
     */
    public static List<ChainTrade> unpack(List<String> parties, List<BigInteger> words) {
        List<ChainTrade> out = new ArrayList<>(words.size());
        BigInteger m24 = BigInteger.valueOf(MAX24);
        BigInteger m48 = BigInteger.valueOf(MAX48);
        for (BigInteger w : words) {
            out.add(new ChainTrade(
                    parties.get(w.shiftRight(216).and(m24).intValueExact()).toLowerCase(),
                    parties.get(w.shiftRight(192).and(m24).intValueExact()).toLowerCase(),
                    parties.get(w.shiftRight(168).and(m24).intValueExact()).toLowerCase(),
                    w.shiftRight(152).and(BigInteger.valueOf(0xFFFF)).intValueExact(),
                    w.shiftRight(144).and(BigInteger.valueOf(0xFF)).intValueExact(),
                    w.shiftRight(96).and(m48).longValueExact(),
                    w.shiftRight(48).and(m48).longValueExact(),
                    w.and(m48).longValueExact()));
        }
        return out;
    }

    public static String encode(String settlementIdHex, long epochDay, List<ChainTrade> trades) {
        Packed p = pack(trades);
        Function f = new Function(Settlement.FUNC_SETTLE, List.<Type>of(
                new Bytes32(Numeric.hexStringToByteArray(settlementIdHex)),
                new Uint32(BigInteger.valueOf(epochDay)),
                new DynamicArray<>(Address.class, p.parties().stream().map(Address::new).toList()),
                new DynamicArray<>(Uint256.class, p.words().stream().map(Uint256::new).toList())), List.of());
        return FunctionEncoder.encode(f);
    }
}
