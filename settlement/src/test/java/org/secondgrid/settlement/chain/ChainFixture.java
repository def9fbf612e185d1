package org.secondgrid.settlement.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

/** A fresh anvil and a deployment for one test class; dev account 0 is the operator, 9 the grid operator. */
public final class ChainFixture implements AutoCloseable {

    public final Anvil anvil;
    public final Web3j web3j;
    public final Credentials operator = DevAccounts.get(0);
    public final Credentials gridOperator = DevAccounts.get(9);
    public final Deployment deployment;

    public ChainFixture() {
        anvil = Anvil.start(Toolchain.locate(), null);
        web3j = Web3j.build(new HttpService(anvil.rpcUrl()));
        deployment = Deployment.deploy(web3j, operator, Anvil.CHAIN_ID, gridOperator.getAddress());
    }

    /** Asserts that {@code call} from {@code from} to {@code to} reverts with the custom error {@code signature}. */
    public void assertReverts(Credentials from, String to, RemoteFunctionCall<?> call, String signature) {
        String data = call.encodeFunctionCall();
        EthCall r;
        try {
            r = web3j.ethCall(Transaction.createEthCallTransaction(from.getAddress(), to, data),
                    DefaultBlockParameterName.LATEST).send();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(r.isReverted() || r.hasError()).as("call reverts with " + signature).isTrue();
        if (signature.isEmpty()) {
            return;
        }
        String selector = Hash.sha3String(signature).substring(0, 10);
        String revertData = r.getRevertReason() != null && r.getError() != null && r.getError().getData() != null
                ? r.getError().getData() : (r.getError() == null ? r.getValue() : r.getError().getData());
        assertThat(r.isReverted() || r.hasError()).as("call reverts with " + signature).isTrue();
        revertData = revertData == null ? "" : revertData.replace("\"", "");
        assertThat(revertData).as("revert data of " + signature).startsWith(selector);
    }

    @SuppressWarnings("unused")
    static List<Type> none() {
        return List.of();
    }

    public BigInteger ethBalance(String address) throws Exception {
        return web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    }

    @Override
    public void close() {
        web3j.shutdown();
        anvil.close();
    }
}
