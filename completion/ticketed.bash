# bash completion for ticketed(1) — installed as
# $(PREFIX)/share/bash-completion/completions/ticketed by `make install`.
# The option lists follow src/app/options.c (tests/install/completion.t
# compares them with `ticketed --help`). Ticket ids complete from the
# recent tickets file, $XDG_STATE_HOME/ticketed/recent (one ticket a line,
# its id first, tab-separated; see include/ticketed/recent.h).

_ticketed_themes()
{
	local d dirs=() bin
	[ -n "${TICKETED_THEMES-}" ] && dirs+=("$TICKETED_THEMES")
	dirs+=("${XDG_CONFIG_HOME:-$HOME/.config}/ticketed/themes")
	bin=$(type -P ticketed 2>/dev/null) && dirs+=("${bin%/*}/../share/ticketed/themes")
	dirs+=(/usr/local/share/ticketed/themes /usr/share/ticketed/themes ./themes)
	for d in "${dirs[@]}"; do
		[ -d "$d" ] || continue
		for f in "$d"/*.theme; do
			[ -e "$f" ] || continue
			f=${f##*/}
			printf '%s\n' "${f%.theme}"
		done
	done | sort -u
}

# The ids of the recent tickets, newest first, each once.
_ticketed_recent_ids()
{
	local f=${XDG_STATE_HOME:-$HOME/.local/state}/ticketed/recent id rest
	[ -r "$f" ] || return
	while IFS=$'\t' read -r id rest; do
		[[ $id =~ ^[1-9][0-9]{0,9}$ ]] && printf '%s\n' "$id"
	done <"$f" | awk '!seen[$0]++'
}

_ticketed()
{
	local cur prev words cword
	COMPREPLY=()
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local edit_opts="--url --user --auth --app-token-env --lang --so-language --culture
		--timezone --conflict --theme --no-color --replay --record --headless --size
		--dry-run --draft --log --timeout --insecure --cacert --config --tenant-status --ids-from
		--help --version"
	local sub="" i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		get|diff|apply|drafts|keys|list|recent) sub=${words[i]}; break ;;
		-*) ;;
		*) break ;;
		esac
	done

	case $prev in
	--conflict) COMPREPLY=($(compgen -W "fields strict none" -- "$cur")); return ;;
	--draft) COMPREPLY=($(compgen -W "ask restore discard keep fail" -- "$cur")); return ;;
	--auth) COMPREPLY=($(compgen -W "basic bearer soticket" -- "$cur")); return ;;
	--theme) COMPREPLY=($(compgen -W "$(_ticketed_themes)" -- "$cur")); return ;;
	--mode) [ "$sub" = diff ] && COMPREPLY=($(compgen -W "fields none" -- "$cur")); return ;;
	--replay|--record|--config|--cacert|--log|--ids-from)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--app-token-env)
		COMPREPLY=($(compgen -v -- "$cur")); return ;;
	--url|--user|--lang|--so-language|--culture|--timezone|--size|--timeout|--discard|--tenant-status)
		return ;;
	--status|--category|--search|--top) [ "$sub" = list ] && return ;;
	esac

	case $sub in
	diff|apply)
		if [[ $cur == -* ]]; then
			if [ "$sub" = diff ]; then
				COMPREPLY=($(compgen -W "--mode --generic --pretty --help" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "--merge --pretty --help" -- "$cur"))
			fi
		else
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
		fi
		return ;;
	drafts)
		COMPREPLY=($(compgen -W "--discard --url --help" -- "$cur")); return ;;
	keys|recent)
		return ;;
	list)
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W "$edit_opts --mine --status --category --search
			--top --json" -- "$cur"))
		return ;;
	get)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$edit_opts --pretty" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_ticketed_recent_ids)" -- "$cur"))
		fi
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$edit_opts" -- "$cur"))
	elif [ "$cword" -eq 1 ]; then
		COMPREPLY=($(compgen -W "get diff apply drafts keys list recent $(_ticketed_recent_ids)" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$(_ticketed_recent_ids)" -- "$cur"))
	fi
}
complete -F _ticketed ticketed
