// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

interface IRegionalCoin {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function transfer(address to, uint256 value) external returns (bool);
}

interface IERC1155Receiver {
    function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes calldata data)
        external returns (bytes4);
    function onERC1155BatchReceived(address operator, address from, uint256[] calldata ids,
        uint256[] calldata values, bytes calldata data) external returns (bytes4);
}

/// @title Settlement: pays metered trades from buyers' escrowed regional coins and mints kWh certificates (ERC-1155).
/// @notice One contract holds both the escrow and the kWh certificates so that a participant costs ONE storage word:
///         escrow (coin units) and the certificate balance (Wh) of its latest vintage month share it. A buyer's escrow is
///         non-zero before it can buy, so its first certificate is a cheap update of an existing word instead of a fresh
///         22,100-gas storage slot. settle() moves value between escrow accounts (buyer -> seller, buyer -> EV owner or
///         grid operator) without token transfers; sellers and EV owners withdraw their proceeds when they like.
///         Every trade is on chain in the batch's Settled event (the packed records and the batch's address list:
///         seller, buyer, carrying EV, slot, kind, Wh, money), addresses only, no personal data.
///         Certificates: ERC-1155, token id = vintage month yyyymm (e.g. 202612), balances in Wh, minted for energy
///         records only, so certificate supply = settledWh.
contract Settlement {
    /// kind of a trade record
    uint8 public constant KIND_ENERGY = 0;     // peer-to-peer delivery: certificate minted to the buyer
    uint8 public constant KIND_IMBALANCE = 1;  // imbalance with the backup retailer: money only, no certificate

    /// A trade record is one packed word, with participants given by index into the batch's `parties` list, from the
    /// most significant bits:
    ///   seller index 24 | buyer index 24 | carrier index 24 | slot 16 | kind 8 | wh 48 | amount 48 | fee 48  (= 240 bits)
    /// seller: payee of `amount`; buyer: payer of `amount + fee`, receives the certificate for energy; carrier: account of
    /// the carrying EV, receives `fee` (a carrier index pointing at address(0) = grid delivery, fee to gridOperator);
    /// amounts in coin units (0.01 JPY), wh in Wh.
    uint256 private constant M24 = 0xFFFFFF;
    uint256 private constant M48 = 0xFFFFFFFFFFFF;
    uint256 private constant M96 = 0xFFFFFFFFFFFFFFFFFFFFFFFF;
    uint256 private constant M128 = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF;

    /// running state of one settle() call (in memory: keeps the stack small)
    struct Acc {
        address buyer;    // current run of trades with the same buyer
        uint256 debit;    // the run's debit
        uint256 runWh;    // the run's certificate Wh
        uint256 month;    // certificate id of the batch's day
        uint256 gridFees; // fees of grid deliveries, credited to gridOperator once
        uint256 amount;   // total money moved
        uint256 wh;       // total certificate Wh
    }

    IRegionalCoin public immutable coin;
    address public admin;
    address public operator;
    address public gridOperator;
    /// per account one word: escrow (coin units) bits 0..127 | certificate Wh of vintage `month` bits 128..223 |
    /// month (yyyymm) bits 224..255
    mapping(address => uint256) private accounts;
    /// certificate Wh of the months other than the one in the account's word: id -> account -> Wh
    mapping(uint256 => mapping(address => uint256)) private otherMonths;
    mapping(address => mapping(address => bool)) public isApprovedForAll;
    mapping(uint256 => uint256) public totalSupply;
    mapping(bytes32 => bool) public settled;
    uint256 public settledWh;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event OperatorChanged(address indexed previous, address indexed next);
    event GridOperatorChanged(address indexed previous, address indexed next);
    /// One per batch: its records exactly as settled (packed words, indices into parties), total Wh and money.
    event Settled(bytes32 indexed settlementId, uint32 day, uint256 wh, uint256 amount, address[] parties, uint256[] trades);
    event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
    event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values);
    event ApprovalForAll(address indexed account, address indexed operator, bool approved);

    error NotAdmin(address caller);
    error NotOperator(address caller);
    error AlreadySettled(bytes32 settlementId);
    error InsufficientEscrow(address account, uint256 needed, uint256 available);
    error InsufficientBalance(address account, uint256 id, uint256 needed, uint256 available);
    error NotApproved(address owner, address operator);
    error EmptyBatch();
    error ZeroAddress();
    error BadKind(uint256 index, uint8 kind);
    error TransferFailed();
    error LengthMismatch(uint256 a, uint256 b);
    error Overflow(address account);
    error UnsafeRecipient(address to);

    constructor(address coin_, address operator_, address gridOperator_) {
        if (coin_ == address(0) || operator_ == address(0) || gridOperator_ == address(0)) revert ZeroAddress();
        coin = IRegionalCoin(coin_);
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

    // ---- escrow ---------------------------------------------------------------------------------------------------

    function escrowOf(address account) public view returns (uint256) {
        return accounts[account] & M128;
    }

    /// Escrow of several accounts in one call (for reconciliation and the escrow check at gate closure).
    function escrowOfBatch(address[] calldata list) external view returns (uint256[] memory out) {
        out = new uint256[](list.length);
        for (uint256 i = 0; i < list.length; i++) out[i] = accounts[list[i]] & M128;
    }

    /// Moves `amount` coins from the caller (after approve) into its escrow.
    function deposit(uint256 amount) external {
        if (!coin.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        _credit(msg.sender, amount);
        emit Deposited(msg.sender, amount);
    }

    /// Moves sum(amounts) coins from the caller (after approve) into the escrow of each account, e.g. the platform
    /// topping up buyers' escrow against yen they paid. One pull from the caller, one Deposited event per account.
    function depositFor(address[] calldata list, uint256[] calldata amounts) external {
        if (list.length != amounts.length) revert LengthMismatch(list.length, amounts.length);
        uint256 total;
        for (uint256 i = 0; i < list.length; i++) {
            if (list[i] == address(0)) revert ZeroAddress();
            _credit(list[i], amounts[i]);
            total += amounts[i];
            emit Deposited(list[i], amounts[i]);
        }
        if (!coin.transferFrom(msg.sender, address(this), total)) revert TransferFailed();
    }

    /// Pays `amount` coins of the caller's escrow (deposits and proceeds) back to the caller.
    function withdraw(uint256 amount) external {
        uint256 v = accounts[msg.sender];
        uint256 e = v & M128;
        if (e < amount) revert InsufficientEscrow(msg.sender, amount, e);
        unchecked { accounts[msg.sender] = v - amount; }
        emit Withdrawn(msg.sender, amount);
        if (!coin.transfer(msg.sender, amount)) revert TransferFailed();
    }

    function _credit(address a, uint256 amount) private {
        uint256 v = accounts[a];
        if ((v & M128) + amount > M128) revert Overflow(a);
        unchecked { accounts[a] = v + amount; }
    }

    // ---- settlement -----------------------------------------------------------------------------------------------

    /// Settles one batch of one delivery day (`day` = days since 1970-01-01). Operator only; a settlementId
    /// settles once. Trades sorted by buyer net each buyer's debit and certificate into one update of its word.
    function settle(bytes32 settlementId, uint32 day, address[] calldata parties, uint256[] calldata trades) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (settled[settlementId]) revert AlreadySettled(settlementId);
        uint256 n = trades.length;
        if (n == 0) revert EmptyBatch();
        settled[settlementId] = true;

        Acc memory acc;
        acc.month = vintageMonth(day);
        for (uint256 i = 0; i < n; i++) {
            uint256 w = trades[i];
            address b = parties[(w >> 192) & M24];
            if (b != acc.buyer) {
                if (acc.buyer != address(0)) _flush(acc);
                if (b == address(0)) revert ZeroAddress();
                acc.buyer = b;
                acc.debit = 0;
                acc.runWh = 0;
            }
            _trade(parties, w, i, acc);
        }
        _flush(acc);
        if (acc.gridFees > 0) _credit(gridOperator, acc.gridFees);
        if (acc.wh > 0) {
            settledWh += acc.wh;
            totalSupply[acc.month] += acc.wh;
        }
        emit Settled(settlementId, day, acc.wh, acc.amount, parties, trades);
    }

    function _trade(address[] calldata parties, uint256 w, uint256 i, Acc memory acc) private {
        uint256 amount = (w >> 48) & M48;
        uint256 fee = w & M48;
        uint8 kind = uint8(w >> 144);
        address seller = parties[w >> 216];
        address carrier = parties[(w >> 168) & M24];
        if (seller == address(0)) revert ZeroAddress();
        if (kind == KIND_ENERGY) acc.runWh += (w >> 96) & M48;
        else if (kind != KIND_IMBALANCE) revert BadKind(i, kind);
        acc.debit += amount + fee;
        acc.amount += amount + fee;
        if (amount > 0) _credit(seller, amount);
        if (carrier == address(0)) acc.gridFees += fee;
        else if (fee > 0) _credit(carrier, fee);
    }

    /// The run's buyer: one read and one write of its word for the escrow debit and the certificate mint.
    function _flush(Acc memory acc) private {
        if (acc.debit == 0 && acc.runWh == 0) return;
        address buyer = acc.buyer;
        uint256 v = accounts[buyer];
        uint256 e = v & M128;
        if (e < acc.debit) revert InsufficientEscrow(buyer, acc.debit, e);
        unchecked { v -= acc.debit; }
        if (acc.runWh > 0) {
            v = _addCertificate(v, buyer, acc.month, acc.runWh);
            acc.wh += acc.runWh;
            emit TransferSingle(msg.sender, address(0), buyer, acc.month, acc.runWh);
        }
        accounts[buyer] = v;
    }

    /// Adds `wh` of certificate `id` to account word `v` of `a` (returned): into the word if it holds that month or no
    /// certificate; a newer month moves the word's balance to otherMonths first; an older month goes to otherMonths.
    function _addCertificate(uint256 v, address a, uint256 id, uint256 wh) private returns (uint256) {
        uint256 month = v >> 224;
        uint256 c = (v >> 128) & M96;
        if (month == id || c == 0) {
            c += wh; // c == 0: the word's month is free to take
        } else if (id > month) {
            otherMonths[month][a] += c;
            c = wh;
        } else {
            otherMonths[id][a] += wh;
            return v;
        }
        if (c > M96 || id > 0xFFFFFFFF) revert Overflow(a);
        return (id << 224) | (c << 128) | (v & M128);
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

    // ---- kWh certificates (ERC-1155, balances in Wh) --------------------------------------------------------------

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0xd9b67a26 || interfaceId == 0x0e89341c || interfaceId == 0x01ffc9a7;
    }

    function uri(uint256) external pure returns (string memory) {
        return "secondgrid:kwh-certificate:{id}";
    }

    function balanceOf(address account, uint256 id) public view returns (uint256) {
        uint256 v = accounts[account];
        return (v >> 224 == id ? (v >> 128) & M96 : 0) + otherMonths[id][account];
    }

    function balanceOfBatch(address[] calldata list, uint256[] calldata ids) external view returns (uint256[] memory out) {
        if (list.length != ids.length) revert LengthMismatch(list.length, ids.length);
        out = new uint256[](list.length);
        for (uint256 i = 0; i < list.length; i++) out[i] = balanceOf(list[i], ids[i]);
    }

    function setApprovalForAll(address operator_, bool approved) external {
        isApprovedForAll[msg.sender][operator_] = approved;
        emit ApprovalForAll(msg.sender, operator_, approved);
    }

    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata data) external {
        if (from != msg.sender && !isApprovedForAll[from][msg.sender]) revert NotApproved(from, msg.sender);
        if (to == address(0)) revert ZeroAddress();
        _move(from, to, id, value);
        emit TransferSingle(msg.sender, from, to, id, value);
        if (to.code.length > 0
            && IERC1155Receiver(to).onERC1155Received(msg.sender, from, id, value, data)
                != IERC1155Receiver.onERC1155Received.selector) revert UnsafeRecipient(to);
    }

    function safeBatchTransferFrom(address from, address to, uint256[] calldata ids, uint256[] calldata values,
        bytes calldata data) external {
        if (from != msg.sender && !isApprovedForAll[from][msg.sender]) revert NotApproved(from, msg.sender);
        if (to == address(0)) revert ZeroAddress();
        if (ids.length != values.length) revert LengthMismatch(ids.length, values.length);
        for (uint256 i = 0; i < ids.length; i++) _move(from, to, ids[i], values[i]);
        emit TransferBatch(msg.sender, from, to, ids, values);
        if (to.code.length > 0
            && IERC1155Receiver(to).onERC1155BatchReceived(msg.sender, from, ids, values, data)
                != IERC1155Receiver.onERC1155BatchReceived.selector) revert UnsafeRecipient(to);
    }

    /// Takes `value` Wh of `id` from `from` (the word's balance first, then otherMonths) and adds it to `to`.
    function _move(address from, address to, uint256 id, uint256 value) private {
        uint256 v = accounts[from];
        uint256 inWord = v >> 224 == id ? (v >> 128) & M96 : 0;
        uint256 other = otherMonths[id][from];
        if (inWord + other < value) revert InsufficientBalance(from, id, value, inWord + other);
        if (inWord >= value) {
            accounts[from] = v - (value << 128);
        } else {
            if (inWord > 0) accounts[from] = v & ~(M96 << 128);
            otherMonths[id][from] = other - (value - inWord);
        }
        accounts[to] = _addCertificate(accounts[to], to, id, value);
    }
}
