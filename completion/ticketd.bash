# bash completion for ticketd(1) — installed as
# $(PREFIX)/share/bash-completion/completions/ticketd by `make install`.

_ticketd()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	COMPREPLY=()
	case $prev in
	--dates) COMPREPLY=($(compgen -W "keep offset naive" -- "$cur")); return ;;
	--fault)
		COMPREPLY=($(compgen -W "http500-every= html-error drop-after-apply drop-after-post
			garbage-json slow-body latency latency= throttle= maintenance maintenance= retry-after=
			customfield-404 customfield-403 untranslated" -- "$cur"))
		compopt -o nospace 2>/dev/null
		return ;;
	--data)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--port-file|--log|--token-file|--password-file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--listen|--port|--user|--password|--token|--associate|--latency-ms|--max-body|--threads|--conn-timeout|--per-ip-limit|--max-conns|--prefix)
		return ;;
	esac
	COMPREPLY=($(compgen -W "--listen --port --port-file --data --persist --user --password
		--token --token-file --password-file --associate --dates --log --latency-ms --max-body --threads --conn-timeout --per-ip-limit
		--max-conns --prefix --fault --help --version" -- "$cur"))
}
complete -F _ticketd ticketd
