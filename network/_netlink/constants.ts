// Copyright 2026 the aos-common authors. Apache-2.0 license.
// NETLINK_ROUTE numbers from the kernel's uapi headers (linux/netlink.h,
// linux/rtnetlink.h, linux/if_link.h, linux/pkt_sched.h, linux/pkt_cls.h).

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0x80000;
export const NETLINK_ROUTE = 0;

export const SOL_SOCKET = 1;
export const SO_RCVTIMEO = 20;
export const SOL_NETLINK = 270;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;

export const NLMSG_HDRLEN = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_DUMP = 0x300;
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
/** Set on an NLMSG_ERROR whose acknowledgement carries attributes (extended ack). */
export const NLM_F_ACK_TLVS = 0x200;
/** Set on an NLMSG_ERROR that echoes only the request's header (NETLINK_CAP_ACK). */
export const NLM_F_CAPPED = 0x100;
export const NLMSGERR_ATTR_MSG = 1;

export const NLA_F_NESTED = 0x8000;
export const NLA_TYPE_MASK = 0x3fff;

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_SETLINK = 19;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const RTM_NEWQDISC = 36;
export const RTM_DELQDISC = 37;
export const RTM_GETQDISC = 38;
export const RTM_NEWTFILTER = 44;
export const RTM_GETTFILTER = 46;

export const IFF_UP = 0x1;

export const IFLA_ADDRESS = 1;
export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_LINK = 5;
export const IFLA_MASTER = 10;
export const IFLA_PROTINFO = 12;
export const IFLA_TXQLEN = 13;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKINFO = 18;
export const IFLA_NET_NS_FD = 28;
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const IFLA_VLAN_ID = 1;
export const VETH_INFO_PEER = 1;
export const IFLA_BRPORT_MODE = 4;
export const IFINFOMSG_LEN = 16;

export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_LABEL = 3;
export const IFA_BROADCAST = 4;
export const IFADDRMSG_LEN = 8;

export const RTA_DST = 1;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_TABLE = 15;
export const RTMSG_LEN = 12;
export const RT_TABLE_MAIN = 254;
export const RTPROT_STATIC = 4;
export const RT_SCOPE_UNIVERSE = 0;
export const RTN_UNICAST = 1;

export const TCMSG_LEN = 20;
export const TCA_KIND = 1;
export const TCA_OPTIONS = 2;
export const TC_H_ROOT = 0xffffffff;
export const TC_H_INGRESS = 0xfffffff1;
export const TBF_HANDLE = 0x00010000;
export const INGRESS_HANDLE = 0xffff0000;
export const TCA_TBF_PARMS = 1;
export const TCA_TBF_RATE64 = 4;
export const TCA_TBF_BURST = 6;
export const ETH_P_ALL = 0x0003;
export const TCA_MATCHALL_ACT = 2;
export const TCA_U32_SEL = 5;
export const TCA_U32_ACT = 7;
export const TCA_ACT_KIND = 1;
export const TCA_ACT_OPTIONS = 2;
export const TCA_MIRRED_PARMS = 2;
export const TC_ACT_STOLEN = 4;
export const TCA_EGRESS_REDIR = 1;
/** One psched tick is 64 ns (the second field of /proc/net/psched on current kernels). */
export const PSCHED_TICK_NS = 64;

export const EINTR = 4;
export const EAGAIN = 11;
export const ENOENT = 2;
export const ENODEV = 19;
export const EEXIST = 17;
export const EINVAL = 22;
