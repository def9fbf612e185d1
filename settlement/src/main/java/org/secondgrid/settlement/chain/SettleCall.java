package org.secondgrid.settlement.chain;

import java.math.BigInteger;
import java.util.List;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.utils.Numeric;

/** ABI encoding of {@code Settlement.settle(settlementId, day, trades[])} with the generated Trade struct. */
public final class SettleCall {

    private SettleCall() {
    }

    /** One trade record as the contract takes it; amounts in coin units (0.01 JPY). */
    public record ChainTrade(String seller, String buyer, String carrier, int slot, int kind, long wh, long amount, long fee) {
        Settlement.Trade toStruct() {
            return new Settlement.Trade(seller, buyer, carrier, BigInteger.valueOf(slot), BigInteger.valueOf(kind),
                    BigInteger.valueOf(wh), BigInteger.valueOf(amount), BigInteger.valueOf(fee));
        }
    }

    public static String encode(String settlementIdHex, long epochDay, List<ChainTrade> trades) {
        List<Settlement.Trade> structs = trades.stream().map(ChainTrade::toStruct).toList();
        Function f = new Function(Settlement.FUNC_SETTLE, List.<Type>of(
                new Bytes32(Numeric.hexStringToByteArray(settlementIdHex)),
                new Uint32(BigInteger.valueOf(epochDay)),
                new DynamicArray<>(Settlement.Trade.class, structs)), List.of());
        return FunctionEncoder.encode(f);
    }
}
