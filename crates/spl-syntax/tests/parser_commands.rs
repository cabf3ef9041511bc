//! Modeled commands other than search/where/eval, and generic commands (§3.1, §4.1, §6).

mod parser_support;

use parser_support::*;
use spl_syntax::ast::{AggregationArgument, Collation, CommandKind, GenericArg};

#[test]
fn iplocation_options_in_any_order() {
    let text = "| iplocation lang=code allfields=true prefix=iploc_ sourceIPs{}";
    let CommandKind::IpLocation(ip) = only_command(text).kind else {
        panic!()
    };
    assert_eq!(ip.prefix.as_deref(), Some("iploc_"));
    assert!(ip.allfields);
    assert_eq!(ip.lang.as_deref(), Some("code"));
    assert_eq!(at(text, ip.field.span), "sourceIPs{}");
    let CommandKind::IpLocation(ip) = only_command("| iplocation src").kind else {
        panic!()
    };
    assert_eq!((ip.prefix, ip.allfields, ip.lang), (None, false, None));
}

#[test]
fn stats_aggregations_aliases_and_by() {
    let text =
        "| stats dc=t count min(_time) as firstTime, values(user.groups{}) as user.groups{} \
                count(eval(x>1)) AS \"big ones\" by sourceIPs{}, verb user";
    let error = parse_pipeline_error_code(text);
    assert_eq!(error, Some("spl::parse::unknown_option"));
    let text =
        "| stats allnum=t count min(_time) as firstTime, values(user.groups{}) as user.groups{} \
                count(eval(x>1)) AS \"big ones\" by sourceIPs{}, verb user";
    let CommandKind::Stats(stats) = only_command(text).kind else {
        panic!()
    };
    assert_eq!(stats.options[0].name.node, "allnum");
    let names: Vec<String> = stats.aggregations.iter().map(|a| a.output_name()).collect();
    assert_eq!(names, ["count", "firstTime", "user.groups{}", "big ones"]);
    assert!(matches!(
        &stats.aggregations[1].argument,
        Some(AggregationArgument::Field(f)) if f.name == "_time"
    ));
    assert!(matches!(
        &stats.aggregations[3].argument,
        Some(AggregationArgument::Eval(_))
    ));
    assert_eq!(
        at(text, stats.aggregations[1].span),
        "min(_time) as firstTime"
    );
    assert_eq!(at(text, stats.aggregations[2].function.span), "values");
    let by: Vec<&str> = stats.by.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(by, ["sourceIPs{}", "verb", "user"]);
    assert_eq!(at(text, stats.by[0].span), "sourceIPs{}");
}

/// The code of the first error, if the text fails to parse.
fn parse_pipeline_error_code(text: &str) -> Option<&'static str> {
    spl_syntax::parse_pipeline(text).err().map(|e| e[0].code)
}

#[test]
fn stats_output_names_without_alias() {
    let CommandKind::Stats(stats) = only_command("| stats count(eval(a > 1)) dc( src ) BY x").kind
    else {
        panic!()
    };
    assert_eq!(stats.aggregations[0].output_name(), "count(eval(a>1))");
    assert_eq!(stats.aggregations[1].output_name(), "dc(src)");
}

#[test]
fn rename_pairs() {
    let text = r#"| rename a AS b, c* as d* "x y" As z"#;
    let CommandKind::Rename(pairs) = only_command(text).kind else {
        panic!()
    };
    let names: Vec<(&str, &str)> = pairs
        .iter()
        .map(|p| (p.from.name.as_str(), p.to.name.as_str()))
        .collect();
    assert_eq!(names, [("a", "b"), ("c*", "d*"), ("x y", "z")]);
    assert_eq!(at(text, pairs[2].from.span), r#""x y""#);
}

#[test]
fn fillnull_table_fields_head() {
    let CommandKind::Fillnull(fill) = only_command("| fillnull value=NULL a b").kind else {
        panic!()
    };
    assert_eq!(fill.value.as_deref(), Some("NULL"));
    assert_eq!(fill.fields.len(), 2);
    let CommandKind::Fillnull(fill) = only_command("| fillnull").kind else {
        panic!()
    };
    assert_eq!((fill.value, fill.fields.len()), (None, 0));
    let CommandKind::Table(fields) = only_command("| table f1, f2 f3* count(x)").kind else {
        panic!()
    };
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["f1", "f2", "f3*", "count(x)"]);
    let CommandKind::Fields(fields) = only_command("| fields - _time, _raw").kind else {
        panic!()
    };
    assert!(fields.remove);
    assert_eq!(fields.fields.len(), 2);
    let CommandKind::Fields(fields) = only_command("| fields + a").kind else {
        panic!()
    };
    assert!(!fields.remove);
    let CommandKind::Head(head) = only_command("| head 5").kind else {
        panic!()
    };
    assert_eq!(head.count, Some(5));
    let CommandKind::Head(head) = only_command("| head limit=7").kind else {
        panic!()
    };
    assert_eq!(head.count, Some(7));
    let CommandKind::Head(head) = only_command("| head").kind else {
        panic!()
    };
    assert_eq!(head.count, None);
}

#[test]
fn dedup_and_sort() {
    let CommandKind::Dedup(dedup) =
        only_command("| dedup 2 a b keepempty=true consecutive=t sortby -_time, +num(x)").kind
    else {
        panic!()
    };
    assert_eq!(dedup.count, Some(2));
    assert_eq!(dedup.fields.len(), 2);
    assert!(dedup.keepempty && dedup.consecutive && !dedup.keepevents);
    assert!(dedup.sortby[0].descending);
    assert_eq!(dedup.sortby[1].collation, Collation::Num);
    let CommandKind::Sort(sort) = only_command("| sort 100 -count, num(x) str(y) desc").kind else {
        panic!()
    };
    assert_eq!(sort.limit, Some(100));
    assert_eq!(sort.keys.len(), 3);
    assert!(sort.keys[0].descending);
    assert_eq!(sort.keys[2].collation, Collation::Str);
    assert!(sort.descending);
    let CommandKind::Sort(sort) = only_command("| sort - total_failures").kind else {
        panic!()
    };
    assert!(sort.keys[0].descending);
    assert_eq!(sort.keys[0].field.name, "total_failures");
    assert_eq!(sort.limit, None);
}

/// The arguments of a generic command.
fn generic(text: &str) -> Vec<GenericArg> {
    match only_command(text).kind {
        CommandKind::Generic(generic) => generic.args,
        other => panic!("{other:?}"),
    }
}

#[test]
fn generic_commands_are_tokenised() {
    let text = "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest";
    let args = generic(text);
    assert!(matches!(&args[1], GenericArg::Word(w) if w.node == "from"));
    let GenericArg::Option(option) = &args[2] else {
        panic!("{args:?}")
    };
    assert_eq!(option.name.node, "datamodel");
    assert_eq!(option.value.node, "Endpoint.Processes");
    assert_eq!(at(text, option.value.span), "Endpoint.Processes");

    let args = generic(r#"| rex field=x "(?<name>[^\s]+)""#);
    assert!(matches!(&args[1], GenericArg::Quoted(q) if q.node == r"(?<name>[^\s]+)"));

    let args = generic("| lookup foo bar AS baz OUTPUT x AS y");
    assert_eq!(args.len(), 8);

    let args = generic("| join type=left x [search a=1 | head 1]");
    let GenericArg::Subsearch(pipeline) = &args[2] else {
        panic!("{args:?}")
    };
    assert_eq!(pipeline.commands.len(), 2);

    let args = generic(r#"| convert timeformat="%Y" ctime(firstTime)"#);
    assert!(matches!(&args[0], GenericArg::Option(o) if o.value.node == "%Y"));
    assert!(matches!(&args[2], GenericArg::Group(g) if g.node.len() == 1));

    let args = generic("| foreach * [eval <<FIELD>>=round('<<FIELD>>', 2)]");
    assert!(
        matches!(&args[1], GenericArg::Template(t) if t.node == "eval <<FIELD>>=round('<<FIELD>>', 2)")
    );

    assert!(generic("| xmlkv").is_empty());
    assert_eq!(generic("| transaction maxspan=5m host").len(), 2);
}

#[test]
fn command_names_are_case_insensitive() {
    assert!(matches!(
        only_command("| STATS count BY x").kind,
        CommandKind::Stats(_)
    ));
    assert!(matches!(
        only_command("| Where x>1").kind,
        CommandKind::Where(_)
    ));
}

#[test]
fn commands_round_trip() {
    for text in [
        "| iplocation prefix=\"a b\" allfields=true src",
        "| stats count min(_time) AS firstTime values(user.groups{}) AS user.groups{} BY verb, \"a b\"",
        "| stats count(eval(x > 1 AND y=\"a\")) AS n",
        "| rename a AS b, \"c d\" AS e*",
        "| fillnull value=\"n/a\" a b",
        "| table a, b* | fields - _raw | head 3 | dedup 2 x sortby -y | sort limit=5 -a num(b) d",
        "search index=main | tstats count from datamodel=Endpoint.Processes where Processes.process_name=\"cmd.exe\" by Processes.dest",
        "| inputlookup x.csv | join type=left u [search a=1 | stats count BY u] | rex field=x \"(?<n>\\\\w+)\"",
        "| foreach * [eval <<FIELD>>=1] | convert ctime(firstTime)",
        "| makeresults | eval x=1",
    ] {
        assert_round_trip(text);
    }
}
