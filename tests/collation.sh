# tests/collation.sh - Danish collation of a municipality index, checked
# two ways: against the golden file (tests/sites/collation/expected) by
# sites.sh, and here against Node's Intl.Collator('da') (ICU's CLDR "da"
# rules), when Node is installed.  Sourced by tests/run.sh after sites.sh.

coll_html="$OUT/sites/collation/kommuner/index.html"
if [ ! -f "$coll_html" ]; then
    fail "collation: $coll_html was not built"
elif ! command -v node >/dev/null 2>&1; then
    echo "collation: node not found, Intl.Collator comparison skipped"
else
    ours=$(sed -n '/class="terms"/,/<\/ol>/p' "$coll_html" | sed -n 's|^<li>\(.*\)</li>$|\1|p')
    node_order=$(printf '%s\n' "$ours" | node -e '
        const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
        const shuffled = lines.slice().reverse();
        console.log(shuffled.sort(new Intl.Collator("da").compare).join("\n"));')
    if [ -n "$ours" ] && [ "$ours" = "$node_order" ]; then
        pass "collation: municipality index agrees with Intl.Collator('da')"
    else
        fail "collation: municipality index differs from Intl.Collator('da')" "ours:
$ours
node:
$node_order"
    fi
fi
