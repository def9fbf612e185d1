// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

interface IRegionalCoin {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function transfer(address to, uint256 value) external returns (bool);
}

interface IKwhCertificate {
    function mintBatch(address[] calldata to, uint256 id, uint256[] calldata wh) external;
}

/// @title Settlement: pays metered trades from buyers' escrowed regional coins and mints kWh certificates.
/// @notice Coins deposited here form each account's escrow (`escrowOf`); settle() moves value between escrow
///         accounts (buyer -> seller, buyer -> EV owner or grid operator) without token transfers, so a
///         participant's many trades in one batch cost one cold storage access plus cheap warm updates (net
///         payment per participant per batch). Sellers and EV owners withdraw their proceeds when they like.
///         Every trade is on chain as a Traded event (addresses only, no personal data).
contract Settlement {
    /// kind of a trade record
    uint8 public constant KIND_ENERGY = 0;     // peer-to-peer delivery: certificate minted to the buyer
    uint8 public constant KIND_IMBALANCE = 1;  // imbalance with the backup retailer: money only, no certificate

    struct Trade {
        address seller;   // payee of `amount` (seller, or the backup retailer / deviating party for imbalance)
        address buyer;    // payer of `amount + fee`, from its escrow; receives the certificate for energy
        address carrier;  // account of the carrying EV, receives `fee`; address(0) = grid delivery, fee to gridOperator
        uint16 slot;      // delivery slot of the day
        uint8 kind;       // KIND_ENERGY or KIND_IMBALANCE
        uint64 wh;        // metered Wh allocated to this trade
        uint64 amount;    // coin units (0.01 JPY) buyer -> seller
        uint64 fee;       // coin units buyer -> carrier (EV owner) or grid operator
    }

    struct Totals {
        uint256 gridFees;
        uint256 amount;
    }

    IRegionalCoin public immutable coin;
    IKwhCertificate public immutable certificates;
    address public admin;
    address public operator;
    address public gridOperator;
    mapping(address => uint256) public escrowOf;
    mapping(bytes32 => bool) public settled;
    uint256 public settledWh;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event OperatorChanged(address indexed previous, address indexed next);
    event GridOperatorChanged(address indexed previous, address indexed next);
    event Settled(bytes32 indexed settlementId, uint32 day, uint256 trades, uint256 wh, uint256 amount);
    event Traded(address indexed seller, address indexed buyer, address carrier, uint16 slot, uint8 kind,
        uint64 wh, uint64 amount, uint64 fee);

    error NotAdmin(address caller);
    error NotOperator(address caller);
    error AlreadySettled(bytes32 settlementId);
    error InsufficientEscrow(address account, uint256 needed, uint256 available);
    error EmptyBatch();
    error ZeroAddress();
    error BadKind(uint256 index, uint8 kind);
    error TransferFailed();
    error LengthMismatch(uint256 a, uint256 b);

    constructor(address coin_, address certificates_, address operator_, address gridOperator_) {
        if (coin_ == address(0) || certificates_ == address(0) || operator_ == address(0) || gridOperator_ == address(0)) {
            revert ZeroAddress();
        }
        coin = IRegionalCoin(coin_);
        certificates = IKwhCertificate(certificates_);
        admin = msg.sender;
        operator = operator_;
        gridOperator = gridOperator_;
    }

    function setOperator(address next) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (next == address(0)) revert ZeroAddress();
        emit OperatorChanged(operator, next);
        operator = next;
    }

    function setGridOperator(address next) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (next == address(0)) revert ZeroAddress();
        emit GridOperatorChanged(gridOperator, next);
        gridOperator = next;
    }

    /// Moves `amount` coins from the caller (after approve) into its escrow.
    function deposit(uint256 amount) external {
        if (!coin.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        escrowOf[msg.sender] += amount;
        emit Deposited(msg.sender, amount);
    }

    /// Moves sum(amounts) coins from the caller (after approve) into the escrow of each account, e.g. the platform
    /// topping up buyers' escrow against yen they paid. One pull from the caller, one Deposited event per account.
    function depositFor(address[] calldata accounts, uint256[] calldata amounts) external {
        if (accounts.length != amounts.length) revert LengthMismatch(accounts.length, amounts.length);
        uint256 total;
        for (uint256 i = 0; i < accounts.length; i++) {
            if (accounts[i] == address(0)) revert ZeroAddress();
            escrowOf[accounts[i]] += amounts[i];
            total += amounts[i];
            emit Deposited(accounts[i], amounts[i]);
        }
        if (!coin.transferFrom(msg.sender, address(this), total)) revert TransferFailed();
    }

    /// Pays `amount` coins of the caller's escrow (deposits and proceeds) back to the caller.
    function withdraw(uint256 amount) external {
        uint256 e = escrowOf[msg.sender];
        if (e < amount) revert InsufficientEscrow(msg.sender, amount, e);
        unchecked { escrowOf[msg.sender] = e - amount; }
        emit Withdrawn(msg.sender, amount);
        if (!coin.transfer(msg.sender, amount)) revert TransferFailed();
    }

    /// Settles one batch of one delivery day (`day` = days since 1970-01-01). Operator only; a settlementId
    /// settles once. Trades sorted by buyer net each buyer's debit and certificate into one update.
    function settle(bytes32 settlementId, uint32 day, Trade[] calldata trades) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (settled[settlementId]) revert AlreadySettled(settlementId);
        uint256 n = trades.length;
        if (n == 0) revert EmptyBatch();
        settled[settlementId] = true;

        address[] memory to = new address[](n);
        uint256[] memory whs = new uint256[](n);
        uint256 runs;
        address buyer;
        uint256 debit;
        uint256 runWh;
        Totals memory sum;

        for (uint256 i = 0; i < n; i++) {
            Trade calldata t = trades[i];
            if (t.buyer != buyer) {
                if (debit > 0 || runWh > 0) runs = _flush(buyer, debit, runWh, to, whs, runs);
                buyer = t.buyer;
                debit = 0;
                runWh = 0;
            }
            if (t.seller == address(0) || t.buyer == address(0)) revert ZeroAddress();
            if (t.kind > KIND_IMBALANCE) revert BadKind(i, t.kind);
            debit += uint256(t.amount) + t.fee;
            escrowOf[t.seller] += t.amount;
            if (t.carrier == address(0)) sum.gridFees += t.fee;
            else escrowOf[t.carrier] += t.fee;
            if (t.kind == KIND_ENERGY) runWh += t.wh;
            sum.amount += uint256(t.amount) + t.fee;
            emit Traded(t.seller, t.buyer, t.carrier, t.slot, t.kind, t.wh, t.amount, t.fee);
        }
        runs = _flush(buyer, debit, runWh, to, whs, runs);
        if (sum.gridFees > 0) escrowOf[gridOperator] += sum.gridFees;
        uint256 totalWh;
        for (uint256 r = 0; r < runs; r++) totalWh += whs[r];
        settledWh += totalWh;
        emit Settled(settlementId, day, n, totalWh, sum.amount);

        if (runs > 0) {
            assembly {
                mstore(to, runs)
                mstore(whs, runs)
            }
            certificates.mintBatch(to, vintageMonth(day), whs);
        }
    }

    function _flush(address buyer, uint256 debit, uint256 wh, address[] memory to, uint256[] memory whs, uint256 runs)
        private returns (uint256)
    {
        uint256 e = escrowOf[buyer];
        if (e < debit) revert InsufficientEscrow(buyer, debit, e);
        unchecked { escrowOf[buyer] = e - debit; }
        if (wh > 0) {
            to[runs] = buyer;
            whs[runs] = wh;
            unchecked { runs++; }
        }
        return runs;
    }

    /// Certificate token id of a delivery day: its month as yyyymm (civil-from-days, proleptic Gregorian).
    function vintageMonth(uint32 day) public pure returns (uint256) {
        unchecked {
            uint256 z = uint256(day) + 719468;
            uint256 era = z / 146097;
            uint256 doe = z - era * 146097;
            uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            uint256 y = yoe + era * 400;
            uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            uint256 mp = (5 * doy + 2) / 153;
            uint256 m = mp < 10 ? mp + 3 : mp - 9;
            if (m <= 2) y += 1;
            return y * 100 + m;
        }
    }
}
