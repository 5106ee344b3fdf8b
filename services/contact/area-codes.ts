/**
 * US area codes → IANA time zone, for recipients whose record has no time zone (domain.md §6: quiet hours are the
 * recipient's local time). Covers the largest states; an unknown code falls back to the center's zone.
 * Codes in states split across zones are listed where most of their numbers are.
 */
const ZONES: Record<string, string> = {
  'America/New_York':
    '201 202 203 207 212 215 216 229 231 234 239 240 248 267 269 276 301 302 304 305 313 315 321 330 332 336 339 347 351 352 380 386 401 404 407 410 412 413 419 434 440 443 470 475 478 484 508 513 516 517 518 540 551 561 567 570 571 585 586 603 607 609 610 614 616 617 631 646 656 667 678 680 681 689 703 704 706 716 717 718 727 732 734 740 754 757 762 770 772 774 781 786 802 803 804 810 813 814 828 839 843 845 848 854 856 857 860 862 863 864 865 878 904 908 910 912 914 917 919 929 934 937 941 947 954 959 973 978 980 984 989',
  'America/Chicago':
    '205 210 214 217 218 219 224 225 251 254 256 262 270 281 309 312 314 318 319 320 325 331 334 337 346 361 364 409 414 417 430 432 463 469 479 501 502 504 507 512 515 531 563 573 601 605 608 612 615 618 620 629 630 636 641 651 660 662 682 701 708 712 713 715 726 731 737 763 769 773 779 785 806 815 816 817 830 832 847 870 872 901 903 913 918 920 931 936 940 945 952 956 972 979 985',
  'America/Denver': '208 303 307 385 406 435 505 575 719 720 801 915 970 983',
  'America/Phoenix': '480 520 602 623 928',
  'America/Los_Angeles':
    '206 209 213 253 279 310 323 341 360 408 415 424 425 442 458 503 509 510 530 541 559 562 564 619 626 628 650 657 661 669 702 707 714 725 747 760 775 805 818 820 831 840 858 909 916 925 949 951 971',
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  'America/Puerto_Rico': '787 939',
};

const BY_CODE = new Map<string, string>(
  Object.entries(ZONES).flatMap(([zone, codes]) => codes.split(' ').map((c) => [c, zone] as [string, string])),
);

/** The time zone of a +1 number's area code, or null when unknown or not North American. */
export function timeZoneForPhone(e164: string): string | null {
  const m = /^\+1(\d{3})\d{7}$/.exec(e164);
  return m ? (BY_CODE.get(m[1]!) ?? null) : null;
}
